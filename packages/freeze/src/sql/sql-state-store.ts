import { checkRef } from '../check-ref.js';
import { IllegalShadowStateError } from '../errors.js';
import type {
  AuditOf,
  BranchDecision,
  BranchSnapshot,
  BranchUpdate,
  PointerSwap,
  ShadowFilter,
  StateStore,
} from '../state-store.js';
import type { AuditRecord, BranchRef, IndexPointer, ShadowBuild, ShadowState } from '../types.js';
import { appendAudit, appendAuditRecord } from './sql-audit-log.js';
import { isEmptyChange, snapshotAfter } from '../domain/snapshot-after.js';
import { applyChange, listSnapshots, lockBranchRow, readSnapshot } from './sql-branches.js';
import type { SqlClient } from './sql-client.js';
import { addSqlMember, sqlMembers } from './sql-member-sets.js';
import { pointerFromRow, SHADOW_COLUMNS, shadowFromRow, shadowParam } from './sql-rows.js';

/** Thrown inside a transaction to roll it back when a compare-and-set does not match. */
class Mismatch extends Error {}

/**
 * `StateStore` on SQL — the same statements on PGlite and PostgreSQL. A decision runs inside a transaction
 * holding the branch row FOR UPDATE, so concurrent processes decide one at a time per branch; lock expiry is
 * a comparison with the database clock (expired rows are invisible, and purged by the next write).
 */
export class SqlStateStore implements StateStore {
  /** `ownsClient`: `close()` also closes the client (leave false when the audit log shares it). */
  constructor(
    private readonly sql: SqlClient,
    private readonly ownsClient = false,
  ) {}

  async readBranch(ref: BranchRef): Promise<BranchSnapshot> {
    checkRef(ref);
    return readSnapshot(this.sql, ref);
  }

  /** State and audit share this database: a change and its audit records commit together or not at all. */
  readonly auditsWithChanges = true;

  async updateBranch<T>(
    ref: BranchRef,
    decide: (s: BranchSnapshot) => BranchDecision<T>,
    audit?: AuditOf<T>,
  ): Promise<BranchUpdate<T>> {
    // A refusal decided on a committed snapshot is already correct at that instant (locks only appear by
    // decision, and a refused request changes nothing), so refusals never wait for the branch row lock.
    const first = await this.readBranch(ref);
    const probe = decide(first);
    if (!probe.change || isEmptyChange(probe.change)) return { result: probe.result, added: [], after: first };
    return this.sql.transaction(async (tx) => {
      await lockBranchRow(tx, ref);
      const snap = await readSnapshot(tx, ref);
      const { change, result } = decide(snap);
      if (!change || isEmptyChange(change)) return { result, added: [], after: snap };
      const added = await applyChange(tx, snap, change);
      const update: BranchUpdate<T> = { result, added, after: snapshotAfter(snap, change, added) };
      if (!audit) return update;
      const records: AuditRecord[] = [];
      for (const input of audit(update)) records.push(await appendAudit(tx, input));
      return { ...update, audit: records };
    });
  }

  listBranches(repo?: string): Promise<BranchSnapshot[]> {
    return listSnapshots(this.sql, repo);
  }

  async createShadow(build: ShadowBuild, audit: readonly AuditRecord[] = []): Promise<void> {
    checkRef(build);
    const keys = Object.keys(SHADOW_COLUMNS) as (keyof ShadowBuild)[];
    const cols = keys.map((k) => SHADOW_COLUMNS[k]).join(', ');
    const vals = keys.map((k, i) => (k === 'resourceTypes' ? `$${i + 1}::jsonb` : `$${i + 1}`)).join(', ');
    try {
      await this.sql.transaction(async (tx) => {
        const params = keys.map((k) => shadowParam(k, build[k]));
        await tx.query(`INSERT INTO aegis_shadows (${cols}) VALUES (${vals})`, params);
        for (const record of audit) await appendAuditRecord(tx, record);
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      throw IllegalShadowStateError.inFlight(build);
    }
  }

  async getShadow(id: string): Promise<ShadowBuild | null> {
    const [row] = await this.sql.query('SELECT * FROM aegis_shadows WHERE id = $1', [id]);
    return row ? shadowFromRow(row) : null;
  }

  async updateShadow(
    id: string,
    expect: readonly ShadowState[],
    patch: Partial<ShadowBuild>,
    audit: readonly AuditRecord[] = [],
  ): Promise<ShadowBuild | null> {
    const keys = (Object.keys(patch) as (keyof ShadowBuild)[]).filter((k) => k !== 'id');
    const sets = keys.map((k, i) => `${SHADOW_COLUMNS[k]} = $${i + 3}${k === 'resourceTypes' ? '::jsonb' : ''}`);
    const sql = `UPDATE aegis_shadows SET ${sets.length ? sets.join(', ') : 'id = id'} WHERE id = $1 AND state = ANY($2::text[]) RETURNING *`;
    const params = [id, [...expect], ...keys.map((k) => shadowParam(k, patch[k]))];
    if (audit.length === 0) {
      const [row] = await this.sql.query(sql, params);
      return row ? shadowFromRow(row) : null;
    }
    // The update and its audit records commit together, or neither (a refused update records nothing).
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query(sql, params);
      if (!row) return null;
      for (const record of audit) await appendAuditRecord(tx, record);
      return shadowFromRow(row);
    });
  }

  async listShadows(f: ShadowFilter): Promise<ShadowBuild[]> {
    const rows = await this.sql.query(
      `SELECT * FROM aegis_shadows WHERE ($1::text IS NULL OR repo = $1) AND ($2::text IS NULL OR branch = $2)
         AND ($3::text IS NULL OR index_type = $3) AND ($4::text[] IS NULL OR state = ANY($4::text[]))
       ORDER BY created_at DESC, id`,
      [f.repo ?? null, f.branch ?? null, f.indexType ?? null, f.states ? [...f.states] : null],
    );
    return rows.map(shadowFromRow);
  }

  async getPointer(ref: BranchRef, indexType: string): Promise<IndexPointer> {
    const [row] = await this.sql.query(
      'SELECT * FROM aegis_index_pointers WHERE repo = $1 AND branch = $2 AND index_type = $3',
      [ref.repo, ref.branch, indexType],
    );
    return pointerFromRow(ref, indexType, row);
  }

  async swapPointer(swap: PointerSwap): Promise<IndexPointer | null> {
    const key = [swap.repo, swap.branch, swap.indexType];
    try {
      return await this.sql.transaction(async (tx) => {
        await tx.query(
          'INSERT INTO aegis_index_pointers (repo, branch, index_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          key,
        );
        const [cur] = await tx.query<{ active: string | null }>(
          'SELECT active FROM aegis_index_pointers WHERE repo = $1 AND branch = $2 AND index_type = $3 FOR UPDATE',
          key,
        );
        if ((cur?.active ?? null) !== swap.expectActive) throw new Mismatch();
        for (const m of swap.moves) {
          const moved = await tx.query(
            'UPDATE aegis_shadows SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2 RETURNING id',
            [m.id, m.from, m.to, swap.at],
          );
          if (moved.length === 0) throw new Mismatch();
        }
        const [row] = await tx.query(
          `UPDATE aegis_index_pointers SET previous = active, active = $4, switched_at = $5
           WHERE repo = $1 AND branch = $2 AND index_type = $3 RETURNING *`,
          [...key, swap.next, swap.at],
        );
        for (const record of swap.audit ?? []) await appendAuditRecord(tx, record);
        return pointerFromRow(swap, swap.indexType, row);
      });
    } catch (err) {
      if (err instanceof Mismatch) return null;
      throw err;
    }
  }

  async dedupe(key: string, ttlMs: number): Promise<boolean> {
    const rows = await this.sql.query(
      `WITH t AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now)
       INSERT INTO aegis_dedupe (key, expires_at) SELECT $1, t.now + $2::float8 FROM t
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
         WHERE aegis_dedupe.expires_at <= floor(extract(epoch FROM clock_timestamp()) * 1000)
       RETURNING key`,
      [key, ttlMs],
    );
    return rows.length > 0;
  }

  async forget(key: string): Promise<void> {
    await this.sql.query(`DELETE FROM aegis_dedupe WHERE key = $1`, [key]);
  }

  addMember(key: string, member: string, ttlMs: number): Promise<boolean> {
    return addSqlMember(this.sql, key, member, ttlMs);
  }

  members(key: string): Promise<string[]> {
    return sqlMembers(this.sql, key);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.sql.close();
  }
}
