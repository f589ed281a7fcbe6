/** One event waiting in the outbox. */
export interface OutboxEntry {
  seq: number;
  eventId: string;
  subject: string;
  payload: string;
  attempts: number;
}

/** An inbound event a handler kept failing on, kept for an admin. */
export interface ParkedEvent {
  id: number;
  eventId: string | null;
  subject: string;
  payload: string;
  error: string;
  attempts: number;
  parkedAt: string;
}

/**
 * Where the bus keeps what must survive a restart: the outbox (durable, in order, one entry per event id),
 * the drainer lease (one replica publishes at a time) and parked inbound events. `SqlEventStore` (PGlite or
 * PostgreSQL) and `RedisEventStore` implement it.
 */
export interface EventStore {
  /** Adds an event; false when its id is already there (the same push twice). */
  enqueue(eventId: string, subject: string, payload: string): Promise<boolean>;
  /** The oldest unpublished events, in order. */
  pending(limit?: number): Promise<OutboxEntry[]>;
  markPublished(seq: number, streamSeq: number): Promise<void>;
  markFailed(seq: number, error: string): Promise<void>;
  /** How many events wait, and since when the oldest. */
  backlog(): Promise<{ pending: number; oldest: string | null }>;
  /** Takes or renews the drainer lease for `owner`; true when `owner` holds it for the next `ms`. */
  lease(owner: string, ms: number): Promise<boolean>;
  release(owner: string): Promise<void>;
  /** Forgets published events older than `ms`; returns how many. */
  prune(ms: number): Promise<number>;
  park(input: Omit<ParkedEvent, 'id' | 'parkedAt'>): Promise<ParkedEvent>;
  /** Parked events, oldest first. */
  parked(limit?: number): Promise<ParkedEvent[]>;
  parkedById(id: number): Promise<ParkedEvent | undefined>;
  /** Removes a parked event; false when it was not (or no longer) parked. */
  unpark(id: number): Promise<boolean>;
}
