import type { FreezeService } from '@aegis/freeze';

/** A PR's auto-merge switch as last set with `/auto-merge [off]`. */
export interface AutoMergeSetting {
  enabled: boolean;
  /** When it was set (ISO-8601): the timeout counts from here. */
  at: string;
  by: string;
}

/** The audit action that records the switch; the audit log (SQL, shared by replicas) is where it lives. */
export const AUTO_MERGE_SET = 'auto-merge.set';

/**
 * The current auto-merge settings of a repository's PRs, newest record per PR. Kept as audit records so the
 * setting is durable, shared by every replica, and its history is the audit trail (one query per evaluation).
 */
export async function autoMergeSettings(
  freeze: Pick<FreezeService, 'queryAudit'>,
  repo: string,
): Promise<Map<number, AutoMergeSetting>> {
  const page = await freeze.queryAudit({ repo, action: AUTO_MERGE_SET, limit: 500 });
  const settings = new Map<number, AutoMergeSetting>();
  for (const r of page.records) {
    const pr = Number(r.resourceId);
    if (!Number.isFinite(pr) || settings.has(pr)) continue;
    const value = r.new as { enabled?: unknown } | null;
    settings.set(pr, { enabled: value?.enabled === true, at: r.at, by: r.actor });
  }
  return settings;
}
