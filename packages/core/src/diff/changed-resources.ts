import { isMetadataFile } from '../load/file-names.js';
import type { Registry, Schema } from '../model.js';
import { RBAC_POLICY_PATH } from '../rbac/rbac-policy.js';
import { diffRegistries } from './diff-registries.js';
import type { SchemaDiff } from './registry-diff.js';

/**
 * The resource types a change to the registry writes — what `/lock`, the lock routes and `aegis/freeze`
 * name (seed 000's RESOURCE_TYPE / RESOURCE scopes, in git-native form). A table's parts are named
 * `<table>.<part>`; `@aegis/freeze`'s `lockCovers` knows that a lock on the table (`schema:users`) or on
 * every table (`schema`) covers them.
 */
export const RESOURCE_TYPES = {
  /** A table (`schema:users`): its own fields (owner, version, description, key) and, for locks, everything inside. */
  table: 'schema',
  /** One column (`column:users.email`). */
  column: 'column',
  /** One foreign key, named by its column (`reference:applications.user_id`). */
  reference: 'reference',
  /** One index (`index:users.idx_users_email`). */
  index: 'index',
  /** The RBAC policy, `.kiro/rbac.yaml` (`rbac:policy`). */
  policy: 'rbac',
  /** The registry's metadata, `registry.yaml` (`registry:metadata`). */
  metadata: 'registry',
} as const;

const T = RESOURCE_TYPES;

/** Every part of a table, as resources: a removed table takes them all with it. */
function partsOf(schema: Schema): string[] {
  const table = schema.name.value;
  return [
    ...schema.columns.map((c) => `${T.column}:${table}.${c.name.value}`),
    ...schema.references.map((r) => `${T.reference}:${table}.${r.foreignKey.value}`),
    ...schema.indexes.map((i) => `${T.index}:${table}.${i.name.value}`),
  ];
}

/** What one schema's diff writes: the table itself, and each column, reference and index that changed. */
function schemaResources(diff: SchemaDiff): string[] {
  if (diff.status === 'unchanged') return [];
  const out = [`${T.table}:${diff.name}`];
  if (diff.renamedFrom) out.push(`${T.table}:${diff.renamedFrom}`);
  if (diff.status === 'removed' && diff.base) return [...out, ...partsOf(diff.base)];
  const table = diff.name;
  const named = (type: string, names: string[]): string[] => names.map((n) => `${type}:${table}.${n}`);
  const { columns: c, references: r, indexes: i } = diff;
  out.push(
    ...named(
      T.column,
      [...c.added, ...c.removed, ...c.changed.map((p) => p.after)].map((x) => x.name.value),
    ),
    ...named(
      T.column,
      c.renamed.flatMap((p) => [p.before.name.value, p.after.name.value]),
    ),
    ...named(
      T.reference,
      [...r.added, ...r.removed, ...r.changed.map((p) => p.after)].map((x) => x.foreignKey.value),
    ),
    ...named(
      T.index,
      [...i.added, ...i.removed, ...i.changed.map((p) => p.after)].map((x) => x.name.value),
    ),
  );
  return out;
}

/**
 * The resources a change writes (`type:id`, sorted, no repeats), from the diff of the two registries and the
 * paths of the files it changed: a lock covering any of them freezes the change. A schema file whose diff is
 * only its version or history still writes its table (`schema:<name>`).
 */
export function changedResources(base: Registry, head: Registry, changedPaths: readonly string[]): string[] {
  const out = new Set<string>();
  const diff = diffRegistries(base, head);
  for (const schema of diff.schemas) for (const r of schemaResources(schema)) out.add(r);
  for (const path of changedPaths) {
    if (path === RBAC_POLICY_PATH) out.add(`${T.policy}:policy`);
    else if (isMetadataFile(path)) out.add(`${T.metadata}:metadata`);
    else {
      const name = (head.files.get(path) ?? base.files.get(path))?.schema?.name.value;
      if (name) out.add(`${T.table}:${name}`);
    }
  }
  return [...out].sort();
}
