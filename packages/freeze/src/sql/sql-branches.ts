import type { BranchChange, BranchSnapshot, NewLock } from '../state-store.js';
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
  const locks = (typeof r['locks'] === 'string' ? JSON.parse(r['locks']) : (r['locks'] ?? [])) as Record<string, unknown>[];
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

/** Creates the branch row if needed and locks it FOR UPDATE: decisions on one branch run one at a time. */
export async function lockBranchRow(tx: SqlQueryable, ref: BranchRef): Promise<void> {
  await tx.query(
    `INSERT INTO aegis_branches (repo, branch) VALUES ($1, $2)
     ON CONFLICT (repo, branch) DO NOTHING`,
    [ref.repo, ref.branch],
  );
  await tx.query('SELECT version FROM aegis_branches WHERE repo = $1 AND branch = $2 FOR UPDATE', [ref.repo, ref.branch]);
}

/** Applies a decided change at the snapshot's time; returns the locks created (with their fencing tokens). */
export async function applyChange(tx: SqlQueryable, snap: BranchSnapshot, change: BranchChange): Promise<Lock[]> {
  const { repo, branch, now } = snap;
  await tx.query('DELETE FROM aegis_locks WHERE repo = $1 AND branch = $2 AND (expires_at <= $3 OR id = ANY($4::text[]))', [
    repo,
    branch,
    now,
    change.removeLockIds ?? [],
  ]);
  for (const r of change.renewLocks ?? []) {
    await tx.query('UPDATE aegis_locks SET heartbeat_at = $2::bigint, expires_at = $2::bigint + $3::bigint, ttl_ms = $3::bigint WHERE id = $1', [r.id, now, r.ttlMs]);
  }
  const added: Lock[] = [];
  for (const n of change.addLocks ?? []) added.push(await insertLock(tx, snap, n));
  if (change.state) {
    await tx.query('UPDATE aegis_branches SET state = $3, reason = $4, actor = $5, since = $6 WHERE repo = $1 AND branch = $2', [
      repo,
      branch,
      change.state.state,
      change.state.reason,
      change.state.actor,
      now,
    ]);
  }
  await tx.query('UPDATE aegis_branches SET version = version + 1 WHERE repo = $1 AND branch = $2', [repo, branch]);
  return added;
}

async function insertLock(tx: SqlQueryable, snap: BranchSnapshot, n: NewLock): Promise<Lock> {
  const [seq] = await tx.query<{ token_seq: unknown }>(
    'UPDATE aegis_branches SET token_seq = token_seq + 1 WHERE repo = $1 AND branch = $2 RETURNING token_seq',
    [snap.repo, snap.branch],
  );
  const token = Number(seq?.token_seq);
  const [row] = await tx.query(
    `INSERT INTO aegis_locks (id, repo, branch, scope, resource_type, resource_id, kind, holder, reason, token,
       created_at, heartbeat_at, expires_at, ttl_ms, meta)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14::jsonb) RETURNING *`,
    [n.id, snap.repo, snap.branch, n.scope, n.resourceType ?? null, n.resourceId ?? null, n.kind, n.holder, n.reason, token, snap.now, snap.now + n.ttlMs, n.ttlMs, JSON.stringify(n.meta)],
  );
  return lockFromRow(row ?? {});
}

/** Whether a change writes anything. */
export function isEmptyChange(c: BranchChange | undefined): boolean {
  return !c || (!c.state && !c.addLocks?.length && !c.removeLockIds?.length && !c.renewLocks?.length);
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
