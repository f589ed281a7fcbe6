import type { AuditLog } from '../audit-log.js';
import { auditId } from '../domain/audit-id.js';
import { InvalidRequestError } from '../errors.js';
import type { AuditInput, AuditPage, AuditQuery, AuditRecord } from '../types.js';
import type { SqlClient } from './sql-client.js';

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
  };
}

const toJson = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * The append-only audit log in SQL (table `aegis_audit`, migration 4), on PGlite or PostgreSQL. Records are
 * never updated or deleted here; pages are newest first, with an opaque cursor (the row sequence).
 */
export class SqlAuditLog implements AuditLog {
  constructor(
    private readonly sql: SqlClient,
    private readonly ownsClient = false,
  ) {}

  async append(input: AuditInput): Promise<AuditRecord> {
    const at = input.at ?? new Date();
    const id = auditId(input.repo, input.branch, input.action, at);
    const [row] = await this.sql.query(
      `INSERT INTO aegis_audit (id, at, repo, branch, actor, issue, action, resource_type, resource_id, old, new, reason, delivery)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13) RETURNING *`,
      [
        id,
        at.toISOString(),
        input.repo,
        input.branch,
        input.actor,
        input.issue ?? null,
        input.action,
        input.resourceType ?? null,
        input.resourceId ?? null,
        toJson(input.old),
        toJson(input.new),
        input.reason ?? null,
        input.delivery ?? null,
      ],
    );
    return recordFromRow(row ?? {});
  }

  async query(q: AuditQuery): Promise<AuditPage> {
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
