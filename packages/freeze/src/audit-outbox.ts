import type { AuditRecord } from './types.js';

/** One audit record waiting in an outbox, with the entry id that removes it. */
export interface QueuedAudit {
  entryId: string;
  record: AuditRecord;
}

/**
 * Port for audit records queued where the state lives (Redis): written in the same atomic step as the change
 * they record, then drained into the `AuditLog` by the `AuditReconciler`. Records keep the id and time they were
 * given when the change was made, so draining one twice never doubles it.
 */
export interface AuditOutbox {
  /** Queues records (one atomic write). Changes queue theirs inside `updateBranch` instead. */
  enqueue(records: readonly AuditRecord[]): Promise<void>;
  /** The oldest `limit` queued records, oldest first. */
  peek(limit: number): Promise<QueuedAudit[]>;
  /** Removes entries once their records are in the audit log. */
  remove(entryIds: readonly string[]): Promise<void>;
  /** Moves an entry the audit log refuses for good (not an outage) aside, so it cannot block the others. */
  park(entry: QueuedAudit, error: string): Promise<void>;
  /** How many records wait. */
  size(): Promise<number>;
}
