import type { MigrationStep } from './migration-step.js';

/**
 * How long a statement may wait for a lock before the migration gives up (and rolls back) rather than queue
 * every reader and writer of the table behind it; and the statement time limit, off because a table rewrite
 * or an index build takes as long as the table is big (the lock timeout is what protects other sessions).
 */
export const MIGRATION_TIMEOUTS = { lockTimeout: '5s', statementTimeout: '0' } as const;

/** The `SET` statements a migration starts with. */
export function timeoutSettings(
  timeouts: { lockTimeout: string; statementTimeout: string } = MIGRATION_TIMEOUTS,
): string[] {
  const quote = (text: string): string => text.replace(/'/g, "''");
  return [
    `SET lock_timeout = '${quote(timeouts.lockTimeout)}';`,
    `SET statement_timeout = '${quote(timeouts.statementTimeout)}';`,
  ];
}

/**
 * A runnable SQL script from steps: the timeouts first; consecutive transactional steps share one BEGIN/COMMIT,
 * a step that needs its own transaction (a VALIDATE) gets one, the others (CONCURRENTLY) run between them;
 * comments name each step's schema and owner and carry the warnings.
 */
export function renderSqlScript(steps: readonly MigrationStep[]): string {
  if (steps.length === 0) return '';
  const out: string[] = timeoutSettings();
  let open = false;
  for (const step of steps) {
    if (open && (!step.transactional || step.ownTransaction)) {
      out.push('COMMIT;');
      open = false;
    }
    if (step.transactional && !open) out.push('BEGIN;');
    open = step.transactional;
    out.push(`-- ${step.schema} (owner: ${step.owner || 'unknown'})${step.destructive ? ' DESTRUCTIVE' : ''}`);
    if (step.lockWarning) out.push(`-- LOCK: ${step.lockWarning}`);
    if (step.note) out.push(`-- NOTE: ${step.note}`);
    out.push(step.sql);
    if (open && step.ownTransaction) {
      out.push('COMMIT;');
      open = false;
    }
  }
  if (open) out.push('COMMIT;');
  return `${out.join('\n')}\n`;
}
