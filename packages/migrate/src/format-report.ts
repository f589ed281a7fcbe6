import type { ApplyResult, VersionRef } from './apply-migration.js';
import { formatDifference, type CatalogDifference } from './catalog.js';
import type { MigrationStatus } from './migration-status.js';
import type { PlannedStep, ProgressEvent } from './planned-step.js';
import { statementHead } from './step-failed-error.js';
import type { VerifyResult } from './verify-migration.js';

/** `main (3f2a9c1d2e4b)`, or the short hash alone. */
export function formatVersion(v: { versionHash: string; ref?: string | null } | undefined): string {
  if (!v) return 'empty database';
  const hash = v.versionHash.slice(0, 12);
  return v.ref ? `${v.ref} (${hash})` : hash;
}

/** `[3/12] users (owner user-service): ALTER TABLE …` for stderr while a run goes. */
export function formatProgress(event: ProgressEvent): string {
  const { step } = event;
  const flags = `${event.resumed ? ' resumed' : ''}${step.destructive ? ' DESTRUCTIVE' : ''}`;
  return `[${event.position}/${event.total}]${flags} ${step.schema} (owner ${step.owner || 'unknown'}): ${statementHead(step.sql)}\n`;
}

/**
 * One `warning:` line per step a reviewer should know about before it runs (seed 003 §3.2): destructive
 * steps (with why) and steps that hold heavy locks (with the safer form). Empty when there are none.
 */
export function formatPlanWarnings(steps: readonly PlannedStep[]): string {
  const out: string[] = [];
  for (const step of steps) {
    const where = `step ${step.position}/${steps.length} ${step.schema} (owner ${step.owner || 'unknown'}): ${statementHead(step.sql, 80)}`;
    if (step.destructive) out.push(`warning: ${where} is DESTRUCTIVE${step.note ? `: ${step.note}` : ''}\n`);
    if (step.lockWarning) out.push(`warning: ${where} locks: ${step.lockWarning}\n`);
  }
  return out.join('');
}

/** The plan as a commented script: each step numbered, with its schema, owner, phase and warnings. */
export function formatPlan(steps: readonly PlannedStep[]): string {
  const out: string[] = [];
  for (const step of steps) {
    const flags = [
      step.phase === 'after-commit' ? 'after commit' : 'in transaction',
      ...(step.destructive ? ['DESTRUCTIVE'] : []),
    ];
    out.push(
      `-- step ${step.position}/${steps.length}: ${step.schema} (owner: ${step.owner || 'unknown'}) [${flags.join(', ')}]`,
    );
    if (step.lockWarning) out.push(`-- LOCK: ${step.lockWarning}`);
    if (step.note) out.push(`-- NOTE: ${step.note}`);
    out.push(step.sql);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function formatDrift(drift: readonly CatalogDifference[], indent = '  '): string {
  return drift.map((d) => `${indent}${formatDifference(d)}\n`).join('');
}

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What `aegis migrate apply` prints on stdout in text form. */
export function formatApplyResult(result: ApplyResult): string {
  const route = `${formatVersion(result.from)} → ${formatVersion(result.to)}`;
  const later = result.steps.filter((s) => s.phase === 'after-commit').length;
  const resumed = result.resumed.length
    ? `; ${count(result.resumed.length, 'unfinished step')} of the previous run ${result.status === 'dry-run' ? 'to resume first' : 'resumed'}`
    : '';
  if (result.status === 'dry-run') {
    const destructive = result.steps.filter((s) => s.destructive).length;
    const drift = result.drift.length
      ? `-- drift: ${count(result.drift.length, 'difference')} (apply refuses without --allow-drift):\n${formatDrift(result.drift, '--   ')}`
      : '';
    return `-- dry run ${route}: ${count(result.steps.length, 'step')}, ${destructive} destructive, ${later} after the commit${resumed}\n${drift}${formatPlan(result.steps)}`;
  }
  if (result.status === 'baselined') {
    const accepted = result.drift.length
      ? ` (${count(result.drift.length, 'difference')} accepted with --allow-drift)`
      : '';
    return `baselined at ${formatVersion(result.to)}: the tables match its create plan${accepted}; recorded as migration ${result.migrationId ?? '?'}, later applies start here.\n`;
  }
  if (result.status === 'up-to-date') return `already at ${formatVersion(result.to)}: nothing to do${resumed}.\n`;
  const drift = result.drift.length
    ? `; ${count(result.drift.length, 'drift difference')} accepted (--allow-drift)`
    : '';
  return `applied ${route}: ${count(result.steps.length, 'step')} (${later} after the commit), recorded as migration ${result.migrationId ?? '?'}${resumed}${drift}.\n`;
}

/** Pending steps a text status lists before it summarises the rest. */
const LISTED = 20;

/** What `aegis migrate status` prints in text form. */
export function formatStatus(status: MigrationStatus, target?: VersionRef): string {
  const out: string[] = [];
  const c = status.current;
  if (!c) out.push('version: none (never migrated by aegis)');
  else {
    const about = [...(c.commit ? [`commit ${c.commit.slice(0, 12)}`] : []), ...(c.ref ? [`ref ${c.ref}`] : [])];
    out.push(`version: ${c.versionHash.slice(0, 12)}${about.length ? ` (${about.join(', ')})` : ''}, ${c.status}`);
    out.push(`applied: ${c.appliedAt.toISOString()} by ${c.appliedBy} (database user ${c.databaseUser})`);
  }
  if (status.unfinished.length)
    out.push(`unfinished: ${count(status.unfinished.length, 'after-commit step')} (the next apply resumes them)`);
  if (target)
    out.push(
      status.upToDate
        ? `pending: none (at ${formatVersion(target)})`
        : `pending: ${count(status.pending.length, 'step')} to ${formatVersion(target)}`,
    );
  for (const step of status.pending.slice(0, LISTED))
    out.push(`  ${step.position}. ${step.schema} (owner ${step.owner || 'unknown'}): ${statementHead(step.sql)}`);
  if (status.pending.length > LISTED)
    out.push(`  … and ${status.pending.length - LISTED} more (--format json lists them all)`);
  out.push(status.drift.length ? `drift: ${count(status.drift.length, 'difference')}` : 'drift: none');
  return `${out.join('\n')}\n${formatDrift(status.drift)}`;
}

/** What `aegis migrate verify` prints in text form. */
export function formatVerifyResult(result: VerifyResult, base: VersionRef | undefined, head: VersionRef): string {
  const route = `${formatVersion(base)} → ${formatVersion(head)}`;
  if (result.ok)
    return `verified ${route}: the change plan (${count(result.steps.length, 'step')}) gives exactly HEAD's catalog.\n`;
  if (result.failure) return `verify failed ${route}: ${result.failure}\n`;
  return `verify failed ${route}: the change plan does not reach HEAD's catalog (${count(result.differences.length, 'difference')}; + only after the change, - only in HEAD):\n${formatDrift(result.differences)}`;
}
