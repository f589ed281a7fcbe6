import type { AuditQuery, AuditRecord } from '@aegis/freeze';
import { UsageError } from '../command.js';

/** The running app to read from: `AEGIS_API_URL` (its base URL) and `AEGIS_API_TOKEN` (a token with audit:read). */
export interface AppApi {
  url: string;
  token: string;
}

/** `AEGIS_API_URL` and `AEGIS_API_TOKEN`, when both are set (the token only from the environment, not argv). */
export function appApiFromEnv(env: Record<string, string | undefined>): AppApi | undefined {
  const url = env['AEGIS_API_URL'];
  const token = env['AEGIS_API_TOKEN'];
  return url && token ? { url: url.replace(/\/$/, ''), token } : undefined;
}

type WireRecord = Omit<AuditRecord, 'resourceType' | 'resourceId'> & {
  resource_type: string | null;
  resource_id: string | null;
};

/**
 * Queries the audit log through the running app's API (`GET /aegis/api/v1/audit`) — how `aegis audit` reads
 * while the app holds the embedded data directory. `--actor` is filtered here (the API has no such filter).
 */
export async function queryAuditOverApi(api: AppApi, query: AuditQuery): Promise<AuditRecord[]> {
  const params = new URLSearchParams();
  for (const key of ['repo', 'branch', 'issue', 'action'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  if (query.since) params.set('since', query.since.toISOString());
  params.set('limit', String(Math.min(500, query.limit ?? 100)));
  const res = await fetch(`${api.url}/aegis/api/v1/audit?${params.toString()}`, {
    headers: { authorization: `Bearer ${api.token}` },
  });
  const body = (await res.json().catch(() => ({}))) as { records?: WireRecord[]; message?: string };
  if (!res.ok)
    throw new UsageError(`the app at ${api.url} answered ${res.status}: ${body.message ?? 'no reason given'}`);
  return (body.records ?? [])
    .map(({ resource_type, resource_id, ...rest }) => ({
      ...rest,
      resourceType: resource_type,
      resourceId: resource_id,
    }))
    .filter((r) => query.actor === undefined || r.actor === query.actor);
}
