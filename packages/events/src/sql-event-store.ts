import type { SqlClient } from '@aegis/freeze';
import type { EventStore, OutboxEntry, ParkedEvent } from './event-store.js';

const MIGRATION = [
  `CREATE TABLE IF NOT EXISTS aegis_event_outbox (
     seq BIGSERIAL PRIMARY KEY,
     event_id TEXT NOT NULL UNIQUE,
     subject TEXT NOT NULL,
     payload TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     published_at TIMESTAMPTZ,
     stream_seq BIGINT)`,
  `CREATE INDEX IF NOT EXISTS aegis_event_outbox_pending ON aegis_event_outbox (seq) WHERE published_at IS NULL`,
  `CREATE TABLE IF NOT EXISTS aegis_event_drainer (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, until TIMESTAMPTZ NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS aegis_event_parked (
     id BIGSERIAL PRIMARY KEY,
     event_id TEXT,
     subject TEXT NOT NULL,
     payload TEXT NOT NULL,
     error TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     parked_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
];

const num = (v: unknown): number => Number(v);
const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

/**
 * The event bus's tables on freeze's `SqlClient` (PGlite or PostgreSQL): the outbox (durable, ordered by
 * `seq`, one row per event id), a one-row drainer lease so that one replica at a time publishes (in order),
 * and parked inbound events.
 */
export class SqlEventStore implements EventStore {
  private constructor(private readonly sql: SqlClient) {}

  /** Creates the tables if needed (under an advisory lock, so replicas may start together). */
  static async open(sql: SqlClient): Promise<SqlEventStore> {
    await sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('aegis_events_migrate'))`);
      for (const statement of MIGRATION) await tx.query(statement);
    });
    return new SqlEventStore(sql);
  }

  /** Adds an event to the outbox; returns false when its id is already there (the same push twice). */
  async enqueue(eventId: string, subject: string, payload: string): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO aegis_event_outbox (event_id, subject, payload) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING seq`,
      [eventId, subject, payload],
    );
    return rows.length === 1;
  }

  /** The oldest unpublished events, in order. */
  async pending(limit = 100): Promise<OutboxEntry[]> {
    const rows = await this.sql.query(
      `SELECT seq, event_id, subject, payload, attempts FROM aegis_event_outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      seq: num(r['seq']),
      eventId: String(r['event_id']),
      subject: String(r['subject']),
      payload: String(r['payload']),
      attempts: num(r['attempts']),
    }));
  }

  async markPublished(seq: number, streamSeq: number): Promise<void> {
    await this.sql.query(
      `UPDATE aegis_event_outbox SET published_at = now(), stream_seq = $2, last_error = NULL WHERE seq = $1`,
      [seq, streamSeq],
    );
  }

  async markFailed(seq: number, error: string): Promise<void> {
    await this.sql.query(`UPDATE aegis_event_outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1`, [
      seq,
      error.slice(0, 2000),
    ]);
  }

  /** Deletes published events older than `ms` (the stream keeps them; the outbox only needs what waits). */
  async prune(ms: number): Promise<number> {
    const rows = await this.sql.query(
      `DELETE FROM aegis_event_outbox WHERE published_at < now() - $1 * interval '1 millisecond' RETURNING seq`,
      [ms],
    );
    return rows.length;
  }

  /** How many events wait, and since when the oldest (for logs, metrics and `aegis events`). */
  async backlog(): Promise<{ pending: number; oldest: string | null }> {
    const [row] = await this.sql.query(
      `SELECT count(*) AS n, min(created_at) AS oldest FROM aegis_event_outbox WHERE published_at IS NULL`,
    );
    return { pending: num(row?.['n'] ?? 0), oldest: row?.['oldest'] ? iso(row['oldest']) : null };
  }

  /** Takes or renews the drainer lease for `owner`; true when `owner` holds it for the next `ms`. */
  async lease(owner: string, ms: number): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO aegis_event_drainer (id, owner, until) VALUES (1, $1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
       WHERE aegis_event_drainer.owner = EXCLUDED.owner OR aegis_event_drainer.until < now()
       RETURNING owner`,
      [owner, ms],
    );
    return rows.length === 1;
  }

  /** Gives the lease up (on close), so another replica drains at once. */
  async release(owner: string): Promise<void> {
    await this.sql.query(`DELETE FROM aegis_event_drainer WHERE id = 1 AND owner = $1`, [owner]);
  }

  async park(input: Omit<ParkedEvent, 'id' | 'parkedAt'>): Promise<ParkedEvent> {
    const [row] = await this.sql.query(
      `INSERT INTO aegis_event_parked (event_id, subject, payload, error, attempts) VALUES ($1, $2, $3, $4, $5) RETURNING id, parked_at`,
      [input.eventId, input.subject, input.payload, input.error.slice(0, 2000), input.attempts],
    );
    return { ...input, id: num(row?.['id']), parkedAt: iso(row?.['parked_at']) };
  }

  /** Parked events, oldest first. */
  async parked(limit = 100): Promise<ParkedEvent[]> {
    return (await this.sql.query(`SELECT * FROM aegis_event_parked ORDER BY id LIMIT $1`, [limit])).map(parkedFromRow);
  }

  /** One parked event, if it is still parked. */
  async parkedById(id: number): Promise<ParkedEvent | undefined> {
    return (await this.sql.query(`SELECT * FROM aegis_event_parked WHERE id = $1`, [id])).map(parkedFromRow)[0];
  }

  /** Removes a parked event (after an admin replayed or dismissed it). */
  async unpark(id: number): Promise<boolean> {
    return (await this.sql.query(`DELETE FROM aegis_event_parked WHERE id = $1 RETURNING id`, [id])).length === 1;
  }
}

function parkedFromRow(r: Record<string, unknown>): ParkedEvent {
  return {
    id: num(r['id']),
    eventId: typeof r['event_id'] === 'string' ? r['event_id'] : null,
    subject: String(r['subject']),
    payload: String(r['payload']),
    error: String(r['error']),
    attempts: num(r['attempts']),
    parkedAt: iso(r['parked_at']),
  };
}
