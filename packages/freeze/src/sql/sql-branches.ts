import type { BranchChange, BranchSnapshot } from '../state-store.js';
import type { BranchRef, BranchState, Lock } from '../types.js';
import type { SqlQueryable } from './sql-client.js';
import { lockFromRow } from './sql-rows.js';

/** Branch and lock SQL shared by `SqlStateStore` (one round trip per snapshot). */

const SNAPSHOT = `
  WITH t AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now)
  SELECT t.now, b.state, b.since, b.reason, b.actor, b.version,
    (SELECT coalesce(json_agg(row_to_json(l) ORDER BY l.token), '[]'::json)
       FROM aegis_locks l WHERE l.repo = $1 AND l.branch = $2 AND l.expires_at > t.now) AS locks
  FROM t LEFT JOIN aegis_branches b ON b.repo = $1 AND b.branch = $2`;

/** Reads a consistent snapshot of one branch with the database clock. */
export async function readSnapshot(db: SqlQueryable, ref: BranchRef): Promise<BranchSnapshot> {
  const [row] = await db.query(SNAPSHOT, [ref.repo, ref.branch]);
  const r = row ?? {};
  const locks = (typeof r['locks'] === 'string' ? JSON.parse(r['locks']) : (r['locks'] ?? [])) as Record<
    string,
    unknown
  >[];
  return {
    repo: ref.repo,
    branch: ref.branch,
    state: (r['state'] as BranchState | null) ?? 'ACTIVE',
    since: Number(r['since'] ?? 0),
    reason: String((r['reason'] as string | null) ?? ''),
    actor: String((r['actor'] as string | null) ?? ''),
    locks: locks.map(lockFromRow),
    now: Number(r['now']),
    version: Number(r['version'] ?? 0),
  };
}

/** Locks the branch row FOR UPDATE (creating it first if needed): decisions on one branch run one at a time. */
export async function lockBranchRow(tx: SqlQueryable, ref: BranchRef): Promise<void> {
  const lock = 'SELECT 1 FROM aegis_branches WHERE repo = $1 AND branch = $2 FOR UPDATE';
  if ((await tx.query(lock, [ref.repo, ref.branch])).length > 0) return;
  await tx.query('INSERT INTO aegis_branches (repo, branch) VALUES ($1, $2) ON CONFLICT (repo, branch) DO NOTHING', [
    ref.repo,
    ref.branch,
  ]);
  await tx.query(lock, [ref.repo, ref.branch]);
}

// One statement applies a whole decision (data-modifying CTEs on different rows): purge expired and removed
// locks, renew heartbeats, bump version and fencing sequence, set the state, insert new locks with tokens.
const APPLY = `
  WITH del AS (
    DELETE FROM aegis_locks WHERE repo = $1 AND branch = $2 AND (expires_at <= $3::bigint OR id = ANY($4::text[]))
  ), ren AS (
    UPDATE aegis_locks l SET heartbeat_at = $3::bigint, expires_at = $3::bigint + (r->>'ttlMs')::bigint, ttl_ms = (r->>'ttlMs')::bigint
    FROM jsonb_array_elements($5::jsonb) AS r WHERE l.id = r->>'id' AND l.expires_at > $3::bigint
  ), b AS (
    UPDATE aegis_branches SET version = version + 1, token_seq = token_seq + $6::bigint,
      state = coalesce($7::text, state), reason = coalesce($8::text, reason), actor = coalesce($9::text, actor),
      since = CASE WHEN $7::text IS NULL THEN since ELSE $3::bigint END
    WHERE repo = $1 AND branch = $2 RETURNING token_seq
  )
  INSERT INTO aegis_locks (id, repo, branch, scope, resource_type, resource_id, kind, holder, reason, token,
    created_at, heartbeat_at, expires_at, ttl_ms, meta)
  SELECT n->>'id', $1, $2, n->>'scope', n->>'resourceType', n->>'resourceId', n->>'kind', n->>'holder', n->>'reason',
    b.token_seq - $6::bigint + e.ord, $3::bigint, $3::bigint, $3::bigint + (n->>'ttlMs')::bigint, (n->>'ttlMs')::bigint,
    coalesce(n->'meta', '{}'::jsonb)
  FROM b, jsonb_array_elements($10::jsonb) WITH ORDINALITY AS e(n, ord)
  RETURNING *`;

/** Applies a decided change at the snapshot's time in one statement; returns the locks created (with tokens). */
export async function applyChange(tx: SqlQueryable, snap: BranchSnapshot, change: BranchChange): Promise<Lock[]> {
  const add = change.addLocks ?? [];
  const rows = await tx.query(APPLY, [
    snap.repo,
    snap.branch,
    snap.now,
    change.removeLockIds ?? [],
    JSON.stringify(change.renewLocks ?? []),
    add.length,
    change.state?.state ?? null,
    change.state?.reason ?? null,
    change.state?.actor ?? null,
    JSON.stringify(add),
  ]);
  return rows.map(lockFromRow).sort((a, b) => a.token - b.token);
}

/** Branches with a stored non-ACTIVE state or live locks. */
export async function listSnapshots(db: SqlQueryable, repo?: string): Promise<BranchSnapshot[]> {
  const rows = await db.query<{ repo: string; branch: string }>(
    `SELECT b.repo, b.branch FROM aegis_branches b
     WHERE ($1::text IS NULL OR b.repo = $1)
       AND (b.state <> 'ACTIVE' OR EXISTS (SELECT 1 FROM aegis_locks l WHERE l.repo = b.repo AND l.branch = b.branch
             AND l.expires_at > floor(extract(epoch FROM clock_timestamp()) * 1000)))
     ORDER BY b.repo, b.branch`,
    [repo ?? null],
  );
  const out: BranchSnapshot[] = [];
  for (const r of rows) out.push(await readSnapshot(db, r));
  return out;
}
