import type { MigrationStep } from './migration-step.js';

/**
 * A runnable SQL script from steps: consecutive transactional steps share one BEGIN/COMMIT, the others
 * (CONCURRENTLY) run between them; comments name each step's schema and owner and carry the warnings.
 */
export function renderSqlScript(steps: readonly MigrationStep[]): string {
  const out: string[] = [];
  let open = false;
  for (const step of steps) {
    if (step.transactional && !open) out.push('BEGIN;');
    if (!step.transactional && open) out.push('COMMIT;');
    open = step.transactional;
    out.push(`-- ${step.schema} (owner: ${step.owner || 'unknown'})${step.destructive ? ' DESTRUCTIVE' : ''}`);
    if (step.lockWarning) out.push(`-- LOCK: ${step.lockWarning}`);
    if (step.note) out.push(`-- NOTE: ${step.note}`);
    out.push(step.sql);
  }
  if (open) out.push('COMMIT;');
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
