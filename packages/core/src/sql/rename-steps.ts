import { headColumnName, headSchemaName, type StatedRenames } from '../diff/stated-renames.js';
import type { Column, Reference, Registry, Schema } from '../model.js';
import { constraintName, ident, primaryKeyName, uniqueName } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { postgresType } from './postgres-type.js';
import { namedReferences, stepFor, uniqueColumns } from './table-ddl.js';

const SERIALS = new Set(['SERIAL', 'BIGSERIAL', 'SMALLSERIAL']);

/** Whether a change states any rename. */
export const hasRenames = (renames: StatedRenames): boolean => renames.schemas.size > 0 || renames.columns.size > 0;

/** A base schema as it is once the stated renames ran: head's table and column names, references followed. */
function renamedSchema(schema: Schema, renames: StatedRenames): Schema {
  const table = headSchemaName(renames, schema.name.value);
  const column = (name: string): string => headColumnName(renames, table, name);
  const reference = (r: Reference): Reference => {
    const target = headSchemaName(renames, r.schema.value);
    return {
      ...r,
      schema: { ...r.schema, value: target },
      column: { ...r.column, value: headColumnName(renames, target, r.column.value) },
      foreignKey: { ...r.foreignKey, value: column(r.foreignKey.value) },
    };
  };
  const renamedColumn = (c: Column): Column => ({ ...c, name: { ...c.name, value: column(c.name.value) } });
  return {
    ...schema,
    name: { ...schema.name, value: table },
    columns: schema.columns.map(renamedColumn),
    references: schema.references.map(reference),
    indexes: schema.indexes.map((i) => ({ ...i, columns: i.columns.map((c) => ({ ...c, value: column(c.value) })) })),
  };
}

/** The base registry after the stated renames: what the rest of the change plan starts from. */
export function renamedBase(base: Registry, renames: StatedRenames): Registry {
  const schemas = new Map<string, Schema>();
  for (const schema of base.schemas.values()) {
    const renamed = renamedSchema(schema, renames);
    schemas.set(renamed.name.value, renamed);
  }
  return { files: base.files, schemas };
}

/** Names PostgreSQL or the plans gave after the table and its columns: old → new, where they differ. */
function derivedNames(
  before: Schema,
  after: Schema,
): { constraints: [string, string][]; sequences: [string, string][] } {
  const [from, to] = [before.name.value, after.name.value];
  const constraints: [string, string][] = [];
  if (before.columns.some((c) => c.primaryKey)) constraints.push([primaryKeyName(from), primaryKeyName(to)]);
  const afterUnique = uniqueColumns(after);
  uniqueColumns(before).forEach((c, i) => {
    const renamed = afterUnique[i];
    if (renamed) constraints.push([uniqueName(from, c.name.value), uniqueName(to, renamed.name.value)]);
  });
  const afterRefs = namedReferences(after);
  namedReferences(before).forEach((n, i) => constraints.push([n.name, afterRefs[i]?.name ?? n.name]));
  const sequences: [string, string][] = [];
  before.columns.forEach((c, i) => {
    const renamed = after.columns[i];
    if (renamed && SERIALS.has(postgresType(c.type.value).base))
      sequences.push([constraintName(from, c.name.value, 'seq'), constraintName(to, renamed.name.value, 'seq')]);
  });
  const differ = ([a, b]: [string, string]): boolean => a !== b;
  return { constraints: constraints.filter(differ), sequences: sequences.filter(differ) };
}

/**
 * The renames a change states (`renamed_from`), first in the plan: `RENAME TO` for tables, `RENAME COLUMN`,
 * then the constraints and serial sequences named after them, so the catalog matches a fresh create of head.
 * Data stays where it is; a rename only touches the catalog (ACCESS EXCLUSIVE, briefly).
 */
export function renameSteps(base: Registry, head: Registry, renames: StatedRenames): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const note = 'a rename keeps the data; code that still uses the old name breaks';
  for (const before of base.schemas.values()) {
    const after = renamedSchema(before, renames);
    const owner = head.schemas.get(after.name.value) ?? after;
    const table = ident(after.name.value);
    if (after.name.value !== before.name.value)
      steps.push(stepFor(owner, `ALTER TABLE ${ident(before.name.value)} RENAME TO ${table};`, { note }));
    before.columns.forEach((column, i) => {
      const renamed = after.columns[i]?.name.value ?? column.name.value;
      if (renamed !== column.name.value)
        steps.push(
          stepFor(owner, `ALTER TABLE ${table} RENAME COLUMN ${ident(column.name.value)} TO ${ident(renamed)};`, {
            note,
          }),
        );
    });
    const { constraints, sequences } = derivedNames(before, after);
    for (const [from, to] of constraints)
      steps.push(stepFor(owner, `ALTER TABLE ${table} RENAME CONSTRAINT ${ident(from)} TO ${ident(to)};`));
    for (const [from, to] of sequences)
      steps.push(stepFor(owner, `ALTER SEQUENCE ${ident(from)} RENAME TO ${ident(to)};`));
  }
  return steps;
}
