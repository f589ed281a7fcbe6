import type { RepoMirrorOptions } from './repo-mirror.js';

/** The mirror's limits as configured (`readBotOptions` reads and checks them). */
export interface MirrorLimitSettings {
  /** Fetches of different repositories at once (default 4). */
  concurrency?: number | undefined;
  /** Disk for all mirrors, in MiB; the least recently used are evicted beyond it. */
  budgetMb?: number | undefined;
}

/** The mirror's options for its limits: the disk budget in whole bytes; what is unset keeps the mirror's default. */
export function mirrorLimits(
  settings: MirrorLimitSettings,
): Pick<RepoMirrorOptions, 'concurrency' | 'diskBudgetBytes'> {
  return {
    ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
    ...(settings.budgetMb !== undefined ? { diskBudgetBytes: Math.round(settings.budgetMb * 1024 * 1024) } : {}),
  };
}
