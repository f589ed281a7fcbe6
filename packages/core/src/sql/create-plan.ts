import type { Registry, Schema } from '../model.js';
import { creationOrder } from './creation-order.js';
import { ident } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import {
  createIndexSql,
  createTableSql,
  foreignKeyClause,
  namedReferences,
  stepFor,
  type NamedReference,
} from './table-ddl.js';

/**
 * Splits a table's foreign keys into those written inside its CREATE TABLE (the target exists already)
 * and those added after every table exists (self-references, cycles, targets created later).
 */
export function splitForeignKeys(
  schema: Schema,
  created: ReadonlySet<string>,
  known: (name: string) => boolean,
): { inline: NamedReference[]; deferred: NamedReference[] } {
  const inline: NamedReference[] = [];
  const deferred: NamedReference[] = [];
  for (const named of namedReferences(schema)) {
    const target = named.reference.schema.value;
    if (!known(target)) continue; // unknown-schema is reported by validation; no SQL can express it
    (created.has(target) && target !== schema.name.value ? inline : deferred).push(named);
  }
  return { inline, deferred };
}

/** `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …` for a key added after the tables exist. */
export function addForeignKeySql(table: string, { reference, name }: NamedReference, notValid = false): string {
  return `ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(name)} ${foreignKeyClause(reference)}${notValid ? ' NOT VALID' : ''};`;
}

/**
 * The PostgreSQL DDL that builds a registry in an empty database: every CREATE TABLE in dependency order
 * (referenced tables first, ties by name), each followed by its indexes; then the foreign keys that could
 * not be inline (self-references and cycles) as ALTER TABLE. Pure: returns the steps, runs nothing.
 */
export function createPlan(registry: Registry): MigrationStep[] {
  return createTablesSteps([...registry.schemas.values()], (name) => registry.schemas.has(name));
}

/** Create steps for some tables; `known` says which schemas exist (already or within `schemas`). */
export function createTablesSteps(
  schemas: Schema[],
  known: (name: string) => boolean,
  alreadyThere: ReadonlySet<string> = new Set(),
): MigrationStep[] {
  const byName = new Map(schemas.map((s) => [s.name.value, s]));
  const created = new Set(alreadyThere);
  const steps: MigrationStep[] = [];
  const later: MigrationStep[] = [];
  for (const name of creationOrder(schemas)) {
    const schema = byName.get(name);
    if (!schema) continue;
    const { inline, deferred } = splitForeignKeys(schema, created, known);
    steps.push(stepFor(schema, createTableSql(schema, inline)));
    for (const index of schema.indexes) steps.push(stepFor(schema, createIndexSql(name, index, false)));
    for (const named of deferred) later.push(stepFor(schema, addForeignKeySql(name, named)));
    created.add(name);
  }
  return [...steps, ...later];
}
