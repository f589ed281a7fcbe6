import type { RepoMirrorOptions } from './repo-mirror.js';

/**
 * The mirror's limits from the environment: `AEGIS_MIRROR_CONCURRENCY` (fetches of different repositories at
 * once, default 4) and `AEGIS_MIRROR_BUDGET_MB` (disk for all mirrors; least recently used evicted beyond it).
 */
export function mirrorLimitsFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<RepoMirrorOptions, 'concurrency' | 'diskBudgetBytes'> {
  const out: Pick<RepoMirrorOptions, 'concurrency' | 'diskBudgetBytes'> = {};
  const concurrency = env['AEGIS_MIRROR_CONCURRENCY'];
  if (concurrency) {
    const n = Number(concurrency);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`AEGIS_MIRROR_CONCURRENCY must be a whole number ≥ 1, got ${concurrency}`);
    out.concurrency = n;
  }
  const budget = env['AEGIS_MIRROR_BUDGET_MB'];
  if (budget) {
    const mb = Number(budget);
    if (!Number.isFinite(mb) || mb <= 0)
      throw new Error(`AEGIS_MIRROR_BUDGET_MB must be a positive number, got ${budget}`);
    out.diskBudgetBytes = Math.round(mb * 1024 * 1024);
  }
  return out;
}
