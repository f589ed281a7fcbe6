import type { SqlClient } from './connect-database.js';
import type { PlannedStep, ProgressListener } from './planned-step.js';
import { StepFailedError } from './step-failed-error.js';

/** How a run reports progress: the listener, the plan's length, whether these steps resume an earlier run. */
export interface RunContext {
  total: number;
  onProgress?: ProgressListener;
  resumed?: boolean;
  /** Steps run after the main transaction committed: a failure no longer rolls everything back. */
  afterCommit?: boolean;
}

/** Runs one statement, turning a refusal into a `StepFailedError`. */
export async function runStep(client: SqlClient, step: PlannedStep, context: RunContext): Promise<void> {
  context.onProgress?.({ position: step.position, total: context.total, step, resumed: context.resumed ?? false });
  try {
    await client.query(step.sql);
  } catch (error) {
    throw new StepFailedError(step, context.total, error, !context.afterCommit);
  }
}

/**
 * Runs the transaction phase: BEGIN, `before` (for example creating the history table), every step,
 * `after` (recording), COMMIT. Any failure rolls everything back and is rethrown.
 */
export async function runTransactionPhase(
  client: SqlClient,
  steps: readonly PlannedStep[],
  context: RunContext,
  hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {},
): Promise<void> {
  await client.query('BEGIN');
  try {
    await hooks.before?.();
    for (const step of steps) await runStep(client, step, context);
    await hooks.after?.();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

const CREATE_CONCURRENTLY =
  /^CREATE (?:UNIQUE )?INDEX CONCURRENTLY (?:IF NOT EXISTS )?("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*) ON /i;

/**
 * Before (re)building an index concurrently: a valid index of that name means an earlier run built it and
 * stopped before recording (skip the step); an invalid one is the leftover of a failed build (drop it).
 */
async function prepareConcurrentIndex(client: SqlClient, sql: string): Promise<'build' | 'skip'> {
  const name = CREATE_CONCURRENTLY.exec(sql)?.[1];
  if (name === undefined) return 'build';
  const { rows } = await client.query<{ valid: boolean }>(
    'SELECT x.indisvalid AS valid FROM pg_index x WHERE x.indexrelid = to_regclass($1)',
    [name],
  );
  const found = rows[0];
  if (!found) return 'build';
  if (found.valid) return 'skip';
  await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  return 'build';
}

/**
 * Runs after-commit steps one by one, in order. A transactional one runs in its own small transaction
 * together with its `record`; a concurrent one runs alone, then is recorded. The first failure is recorded
 * (through `fail`) and thrown; later steps stay pending for the next run.
 */
export async function runAfterCommitPhase(
  client: SqlClient,
  steps: readonly PlannedStep[],
  context: RunContext,
  hooks: {
    record: (step: PlannedStep, inTransaction: boolean) => Promise<void>;
    fail: (step: PlannedStep, error: StepFailedError) => Promise<void>;
  },
): Promise<void> {
  const after: RunContext = { ...context, afterCommit: true };
  for (const step of steps) {
    try {
      if (step.transactional) {
        await runTransactionPhase(client, [step], after, { after: () => hooks.record(step, true) });
        continue;
      }
      if ((await prepareConcurrentIndex(client, step.sql)) === 'build') await runStep(client, step, after);
      else after.onProgress?.({ position: step.position, total: after.total, step, resumed: true });
      await hooks.record(step, false);
    } catch (error) {
      if (error instanceof StepFailedError) await hooks.fail(step, error).catch(() => undefined);
      throw error;
    }
  }
}
