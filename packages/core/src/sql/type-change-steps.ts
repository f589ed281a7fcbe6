import type { Column, Schema } from '../model.js';
import { guardStep } from './guard-steps.js';
import { ident } from './identifiers.js';
import type { MigrationStep } from './migration-step.js';
import { isAssignable, isWidening, mayRound, postgresType } from './postgres-type.js';
import { stepFor } from './table-ddl.js';

const REWRITE =
  'ALTER COLUMN TYPE holds an ACCESS EXCLUSIVE lock and rewrites the table (reads and writes wait). Safer: add a new column, backfill in batches, switch readers, then drop the old one.';

/** Refuses the type change while any value would be rounded by it: PostgreSQL's assignment would do so silently. */
function roundingGuard(head: Schema, column: Column, to: string): MigrationStep {
  const [table, name] = [ident(head.name.value), ident(column.name.value)];
  return guardStep(
    head,
    `SELECT 1 FROM ${table} WHERE ${name} IS DISTINCT FROM ${name}::${to}`,
    `${head.name.value}.${column.name.value} holds values that ${to} would round: type change refused`,
    'a value that the new type would round makes the migration fail before anything changes',
  );
}

/**
 * The steps of one column's type change. Where PostgreSQL assigns the old type to the new one itself, no
 * `USING` is written, so a value that does not fit fails the step (an explicit cast would cut it silently);
 * a change that could round numbers or times is guarded first. A default is dropped before the change and set
 * again after it, so it is converted (or refused) like the values, and the catalog matches a fresh create.
 */
export function typeChangeSteps(head: Schema, before: Column, after: Column): MigrationStep[] {
  const [from, to] = [postgresType(before.type.value), postgresType(after.type.value)];
  if (from.text === to.text) return [];
  const [table, column] = [ident(head.name.value), ident(after.name.value)];
  const widening = isWidening(from, to);
  // Lengthening VARCHAR or moving to TEXT only updates the catalog; every other change rewrites the table.
  const sameScale = from.base === 'NUMERIC' && to.base === 'NUMERIC' && (from.args[1] ?? 0) === (to.args[1] ?? 0);
  const metadataOnly = widening && (['VARCHAR', 'TEXT'].includes(to.base) || sameScale);
  const using = isAssignable(from, to) ? '' : ` USING ${column}::${to.text}`;
  const steps: MigrationStep[] = [];
  if (before.default !== undefined)
    steps.push(stepFor(head, `ALTER TABLE ${table} ALTER COLUMN ${column} DROP DEFAULT;`));
  if (mayRound(from, to)) steps.push(roundingGuard(head, after, to.text));
  steps.push(
    stepFor(head, `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${to.text}${using};`, {
      destructive: !widening,
      lockWarning: metadataOnly ? undefined : REWRITE,
      note: widening
        ? undefined
        : `${from.text} → ${to.text}: a value that does not convert unchanged makes the migration fail; readers of the old type may break`,
    }),
  );
  if (after.default !== undefined)
    steps.push(stepFor(head, `ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT ${after.default};`));
  return steps;
}
