import { CHAIN_START, ChainCheck, chainHash } from '../audit-chain.js';
import type { ChainReport } from '../audit-chain.js';
import type { AuditLog } from '../audit-log.js';
import { checkRef } from '../check-ref.js';
import { newAuditRecord } from '../audit-record.js';
import { InvalidRequestError } from '../errors.js';
import type { AuditInput, AuditPage, AuditQuery, AuditRecord } from '../types.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';

type Row = Record<string, unknown>;

const jsonOrNull = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : (v ?? null));
const strOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

function recordFromRow(r: Row): AuditRecord {
  const at = r['at'];
  return {
    id: String(r['id']),
    at: at instanceof Date ? at.toISOString() : new Date(String(at)).toISOString(),
    repo: String(r['repo']),
    branch: String(r['branch']),
    actor: String(r['actor']),
    issue: strOrNull(r['issue']),
    action: String(r['action']),
    resourceType: strOrNull(r['resource_type']),
    resourceId: strOrNull(r['resource_id']),
    old: jsonOrNull(r['old']),
    new: jsonOrNull(r['new']),
    reason: strOrNull(r['reason']),
    delivery: strOrNull(r['delivery']),
    ipAddress: strOrNull(r['ip_address']),
    userAgent: strOrNull(r['user_agent']),
  };
}

const toJson = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** Records per round trip when verifying the chain. */
const VERIFY_PAGE = 1000;
/** An arbitrary constant: the advisory lock that makes appends take their turn in the chain. */
const CHAIN_LOCK = 4_242_002;

/**
 * Appends one record inside `tx`, chained to the last one: appends queue on a transaction-scoped advisory
 * lock, so the chain is one line across every process writing to the database. Callers that change state in
 * the same transaction get the state and its record committed together, or neither.
 */
export async function appendAudit(tx: SqlQueryable, input: AuditInput): Promise<AuditRecord> {
  checkRef(input);
  const record = newAuditRecord(input);
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  await insertChained(tx, record);
  return record;
}

/** Appends a record made earlier (an outbox's) unless its id is there already; true when it was appended. */
export async function appendAuditRecord(tx: SqlQueryable, record: AuditRecord): Promise<boolean> {
  checkRef(record);
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  // Under the chain's lock, so two processes draining the same outbox cannot both find it missing.
  const seen = await tx.query('SELECT 1 FROM aegis_audit WHERE id = $1', [record.id]);
  if (seen.length > 0) return false;
  await insertChained(tx, record);
  return true;
}

async function insertChained(tx: SqlQueryable, record: AuditRecord): Promise<void> {
  const [last] = await tx.query<{ hash: string | null }>('SELECT hash FROM aegis_audit ORDER BY seq DESC LIMIT 1');
  const prev = last?.hash ?? CHAIN_START;
  await tx.query(
    `INSERT INTO aegis_audit (id, at, repo, branch, actor, issue, action, resource_type, resource_id, old, new, reason, delivery, prev_hash, hash, ip_address, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14, $15, $16, $17)`,
    [
      record.id,
      record.at,
      record.repo,
      record.branch,
      record.actor,
      record.issue,
      record.action,
      record.resourceType,
      record.resourceId,
      toJson(record.old),
      toJson(record.new),
      record.reason,
      record.delivery,
      prev,
      chainHash(prev, record),
      record.ipAddress,
      record.userAgent,
    ],
  );
}

/**
 * The append-only audit log in SQL (table `aegis_audit`, migrations 4 and 5), on PGlite or PostgreSQL. The
 * table refuses UPDATE, DELETE and TRUNCATE (a trigger, so the app's own credentials cannot rewrite history)
 * and each record's hash chains to the one before (`verify`); pages are newest first, with an opaque cursor
 * (the row sequence).
 */
export class SqlAuditLog implements AuditLog {
  constructor(
    private readonly sql: SqlClient,
    private readonly ownsClient = false,
  ) {}

  async append(input: AuditInput): Promise<AuditRecord> {
    return this.sql.transaction((tx) => appendAudit(tx, input));
  }

  async appendRecord(record: AuditRecord): Promise<boolean> {
    return this.sql.transaction((tx) => appendAuditRecord(tx, record));
  }

  /** Checks the whole chain, oldest first, a page at a time. */
  async verify(): Promise<ChainReport> {
    const check = new ChainCheck();
    for (let after = '0'; ;) {
      const rows = await this.sql.query('SELECT * FROM aegis_audit WHERE seq > $1::bigint ORDER BY seq LIMIT $2', [
        after,
        VERIFY_PAGE,
      ]);
      for (const r of rows) {
        const chained = { seq: String(r['seq']), record: recordFromRow(r), prev: strOrNull(r['prev_hash']) };
        if (!check.add({ ...chained, hash: strOrNull(r['hash']) })) return check.report();
      }
      if (rows.length < VERIFY_PAGE) return check.report();
      after = String(rows[rows.length - 1]?.['seq']);
    }
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    for (const [name, date] of [
      ['since', q.since],
      ['until', q.until],
    ] as const)
      if (date && Number.isNaN(date.getTime())) throw new InvalidRequestError(`${name} is not a date`);
    const limit = Math.min(500, Math.max(1, q.limit ?? 50));
    let before: string | null = null;
    if (q.cursor !== undefined) {
      if (!/^\d+$/.test(q.cursor)) throw new InvalidRequestError(`bad audit cursor ${q.cursor}`);
      before = q.cursor;
    }
    const rows = await this.sql.query(
      `SELECT * FROM aegis_audit
       WHERE ($1::text IS NULL OR repo = $1) AND ($2::text IS NULL OR branch = $2) AND ($3::text IS NULL OR issue = $3)
         AND ($4::text IS NULL OR action = $4) AND ($5::text IS NULL OR actor = $5)
         AND ($6::timestamptz IS NULL OR at >= $6) AND ($7::timestamptz IS NULL OR at < $7)
         AND ($8::bigint IS NULL OR seq < $8)
       ORDER BY seq DESC LIMIT $9`,
      [
        q.repo ?? null,
        q.branch ?? null,
        q.issue ?? null,
        q.action ?? null,
        q.actor ?? null,
        q.since?.toISOString() ?? null,
        q.until?.toISOString() ?? null,
        before,
        limit + 1,
      ],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { records: page.map(recordFromRow), nextCursor: rows.length > limit && last ? String(last['seq']) : null };
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.sql.close();
  }
}
