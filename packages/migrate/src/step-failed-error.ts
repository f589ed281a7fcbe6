import { MigrateError } from './errors.js';
import type { PlannedStep } from './planned-step.js';
import { describeServerError, isPermissionError } from './server-error.js';

/** The first line of a statement, shortened: enough to find it in the plan. */
export function statementHead(sql: string, max = 120): string {
  const line = sql.split('\n')[0] ?? sql;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * A step the server refused. In the transaction phase everything was rolled back; after the commit the
 * steps before it stay applied and recorded, and the next `apply` resumes at this one. Missing rights
 * (SQLSTATE 42501) are a setup problem (exit 2); any other refusal is a finding about the plan (exit 1).
 */
export class StepFailedError extends MigrateError {
  override name = 'StepFailedError';
  /** The server's error on one line, SQLSTATE included. */
  readonly serverError: string;
  constructor(
    readonly step: PlannedStep,
    readonly total: number,
    cause: unknown,
    readonly rolledBack: boolean,
  ) {
    const server = describeServerError(cause);
    const what = `step ${step.position} of ${total} (${step.schema}, owner ${step.owner || 'unknown'}): ${statementHead(step.sql)} failed: ${server}`;
    const after = rolledBack
      ? '. Everything was rolled back: the database is as it was.'
      : `. The transaction had committed; steps before this one are applied and recorded. Fix the cause and run aegis migrate apply again: it resumes at step ${step.position}.`;
    super(isPermissionError(cause) ? 'permission' : 'step-failed', what + after);
    this.serverError = server;
  }
}
