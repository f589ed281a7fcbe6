import type { MigrationStep } from '@aegis/core';
import type { PlannedStep } from './planned-step.js';

const IDENT = String.raw`("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
const CREATE_INDEX = new RegExp(
  String.raw`^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?${IDENT} ON `,
  'i',
);
const DROP_INDEX_CONCURRENTLY = new RegExp(String.raw`^DROP INDEX CONCURRENTLY (?:IF EXISTS )?${IDENT}`, 'i');
const CREATE_TABLE = new RegExp(String.raw`^CREATE TABLE ${IDENT}`, 'i');
const USING_INDEX = new RegExp(String.raw`USING INDEX ${IDENT}`, 'i');
const ADD_CONSTRAINT = new RegExp(String.raw`ADD CONSTRAINT ${IDENT}`, 'i');
const VALIDATE_CONSTRAINT = new RegExp(String.raw`VALIDATE CONSTRAINT ${IDENT}`, 'i');
const ALTER_INDEX = new RegExp(String.raw`^ALTER INDEX (?:IF EXISTS )?${IDENT}`, 'i');
const UNIQUE_CONCURRENTLY = /^CREATE UNIQUE INDEX CONCURRENTLY /i;
const REFERENCES = new RegExp(String.raw`REFERENCES ${IDENT}`, 'ig');

const nameIn = (pattern: RegExp, sql: string): string | undefined => pattern.exec(sql)?.[1];

/** `"order"` → `order`: table names compare as the registry spells them (steps quote reserved words). */
const unquote = (name: string): string => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name);

/** What the after-commit part of the plan makes, so later transactional steps that need it follow it. */
interface Deferred {
  indexes: Set<string>;
  constraints: Set<string>;
  /** Tables that get a key (primary or unique) after the commit: foreign keys to them must wait. */
  keyedTables: Set<string>;
  /** Tables created after the commit: every later step on them, or referencing them, must wait. */
  tables: Set<string>;
}

/** Whether a transactional step needs something only the after-commit part creates. */
function needsDeferred(step: MigrationStep, deferred: Deferred): boolean {
  const usingIndex = nameIn(USING_INDEX, step.sql);
  if (usingIndex !== undefined && deferred.indexes.has(usingIndex)) return true;
  const validated = nameIn(VALIDATE_CONSTRAINT, step.sql);
  if (validated !== undefined && deferred.constraints.has(validated)) return true;
  const altered = nameIn(ALTER_INDEX, step.sql);
  if (altered !== undefined && deferred.indexes.has(altered)) return true;
  if (deferred.tables.has(step.schema)) return true;
  for (const match of step.sql.matchAll(REFERENCES)) {
    const target = match[1] === undefined ? undefined : unquote(match[1]);
    if (target !== undefined && (deferred.keyedTables.has(target) || deferred.tables.has(target))) return true;
  }
  return false;
}

function defer(step: MigrationStep, deferred: Deferred): void {
  const index = nameIn(CREATE_INDEX, step.sql);
  if (index !== undefined) deferred.indexes.add(index);
  const constraint = nameIn(ADD_CONSTRAINT, step.sql);
  if (constraint !== undefined) deferred.constraints.add(constraint);
  // A key attached to, built as or dropped with an index after the commit: foreign keys to the table wait for it.
  if (USING_INDEX.test(step.sql) || UNIQUE_CONCURRENTLY.test(step.sql) || DROP_INDEX_CONCURRENTLY.test(step.sql))
    deferred.keyedTables.add(step.schema);
  if (CREATE_TABLE.test(step.sql)) deferred.tables.add(step.schema);
}

/**
 * Assigns each step its phase, keeping plan order. Statements PostgreSQL refuses in a transaction
 * (`CREATE/DROP INDEX CONCURRENTLY`) and those that want a transaction of their own (`ownTransaction`: a
 * `VALIDATE`, and the `SET NOT NULL` that uses it) run after the commit, and so does every transactional step that needs
 * one of them (a key attached `USING INDEX`, a foreign key to that key — also inside a new table's CREATE
 * TABLE, which then takes that table's later steps with it — the `VALIDATE` of a deferred constraint). Everything else runs inside the one transaction. One exception keeps a plan runnable: when a
 * new table's index reuses the name of an index the plan drops concurrently, that drop runs in the
 * transaction without CONCURRENTLY (the name must be free before the CREATE).
 */
export function splitPhases(steps: readonly MigrationStep[]): PlannedStep[] {
  const deferred: Deferred = { indexes: new Set(), constraints: new Set(), keyedTables: new Set(), tables: new Set() };
  const planned: PlannedStep[] = steps.map((step, i) => ({ ...step, position: i + 1, phase: 'transaction' }));
  for (const step of planned) {
    if (step.transactional && !step.ownTransaction && !needsDeferred(step, deferred)) {
      pullConflictingDrop(step, planned);
      continue;
    }
    step.phase = 'after-commit';
    defer(step, deferred);
  }
  return planned;
}

/** A transactional CREATE INDEX whose name an earlier after-commit DROP INDEX CONCURRENTLY frees. */
function pullConflictingDrop(step: PlannedStep, planned: PlannedStep[]): void {
  const created = nameIn(CREATE_INDEX, step.sql);
  if (created === undefined) return;
  for (const earlier of planned) {
    if (earlier.position >= step.position) return;
    if (earlier.phase !== 'after-commit' || nameIn(DROP_INDEX_CONCURRENTLY, earlier.sql) !== created) continue;
    earlier.phase = 'transaction';
    earlier.transactional = true;
    earlier.sql = earlier.sql.replace(/^DROP INDEX CONCURRENTLY /i, 'DROP INDEX ');
    earlier.note = `${earlier.note ? `${earlier.note}; ` : ''}run without CONCURRENTLY inside the transaction: a new index reuses the name`;
  }
}
