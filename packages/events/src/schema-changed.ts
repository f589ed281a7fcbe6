import { buildGraph, buildRegistry, dependentsOf, diffRegistries, type Registry, type SchemaDiff } from '@aegis/core';
import { changedSchemaFiles, loadRegistryAtRef, NoSchemasError } from '@aegis/git';
import { cloudEvent, eventType, type CloudEvent } from './cloud-event.js';

/** One changed schema in a `schema.changed` event. */
export interface ChangedSchema {
  name: string;
  file: string;
  status: 'added' | 'removed' | 'changed';
  owner: string | null;
  version: string | null;
  previous_version: string | null;
  breaking: boolean;
  changes: { kind: string; subject?: string; breaking: boolean; reason: string }[];
  /** Who must hear about it: dependent schemas (direct first) and their owner services. */
  dependents: { schemas: { name: string; direct: boolean }[]; services: string[] };
}

/** The data of `schema.changed` (JSON Schema: packages/events/schema/schema-changed.json). */
export interface SchemaChangedData {
  repository: string;
  branch: string;
  before: string | null;
  after: string;
  registry_version: string | null;
  previous_registry_version: string | null;
  breaking: boolean;
  pusher?: string;
  schemas: ChangedSchema[];
}

/** What a push tells: where and which commits. `before` is null (or all zeros) for a new branch. */
export interface PushInput {
  /** A clone or bare mirror holding both commits. */
  repoDir: string;
  repository: string;
  branch: string;
  before: string | null;
  after: string;
  pusher?: string;
  /** CloudEvents `source` (default `aegis-registry`). */
  source?: string;
  schemaDir?: string;
}

const isZero = (sha: string | null): boolean => !sha || /^0+$/.test(sha);

async function registryAt(
  repoDir: string,
  ref: string | null,
  schemaDir?: string,
): Promise<{ registry: Registry; version: string | null }> {
  if (ref === null) return { registry: buildRegistry([]), version: null };
  try {
    const { registry, source } = await loadRegistryAtRef(repoDir, ref, schemaDir ? { schemaDir } : {});
    return { registry, version: source.treeId };
  } catch (error) {
    // A commit without a registry folder is an empty registry (the push created or removed it).
    if (error instanceof NoSchemasError) return { registry: buildRegistry([]), version: null };
    throw error;
  }
}

function entry(
  diff: SchemaDiff,
  head: Registry,
  base: Registry,
  graph: ReturnType<typeof buildGraph>,
  baseGraph: ReturnType<typeof buildGraph>,
): ChangedSchema {
  const schema = diff.head ?? diff.base;
  // A removed schema's dependents are those that referenced it before the push.
  const dependents = diff.head ? dependentsOf(head, diff.name, graph) : dependentsOf(base, diff.name, baseGraph);
  return {
    name: diff.name,
    file: schema?.file ?? '',
    status: diff.status as ChangedSchema['status'],
    owner: schema?.owner?.value ?? null,
    version: diff.head?.version?.value ?? null,
    previous_version: diff.base?.version?.value ?? null,
    breaking: diff.changes.some((c) => c.breaking),
    changes: diff.changes.map((c) => ({
      kind: c.kind,
      ...(c.subject ? { subject: c.subject } : {}),
      breaking: c.breaking,
      reason: c.reason,
    })),
    dependents,
  };
}

/**
 * The `schema.changed` CloudEvent of a push, or `undefined` when the push changes no file of the registry
 * folder. The event id is derived from repository, branch and `after`, so the same push always yields the
 * same id (JetStream drops a re-published duplicate; consumers dedupe by id + commit).
 */
export async function buildSchemaChanged(input: PushInput): Promise<CloudEvent<SchemaChangedData> | undefined> {
  const before = isZero(input.before) ? null : input.before;
  const opts = input.schemaDir ? { schemaDir: input.schemaDir } : {};
  if (before !== null && (await changedSchemaFiles(input.repoDir, before, input.after, opts)).length === 0)
    return undefined;
  const [base, head] = await Promise.all([
    registryAt(input.repoDir, before, input.schemaDir),
    registryAt(input.repoDir, input.after, input.schemaDir),
  ]);
  if (head.version !== null && head.version === base.version) return undefined;
  const diff = diffRegistries(base.registry, head.registry);
  const [graph, baseGraph] = [buildGraph(head.registry), buildGraph(base.registry)];
  const schemas = diff.schemas
    .filter((s) => s.status !== 'unchanged')
    .map((s) => entry(s, head.registry, base.registry, graph, baseGraph));
  const data: SchemaChangedData = {
    repository: input.repository,
    branch: input.branch,
    before,
    after: input.after,
    registry_version: head.version,
    previous_registry_version: base.version,
    breaking: diff.breaking,
    ...(input.pusher ? { pusher: input.pusher } : {}),
    schemas,
  };
  return cloudEvent({
    id: `schema.changed:${input.repository}:${input.branch}:${input.after}`,
    type: eventType('schema.changed'),
    source: input.source ?? 'aegis-registry',
    subject: `${input.repository}@${input.branch}`,
    data,
  });
}
