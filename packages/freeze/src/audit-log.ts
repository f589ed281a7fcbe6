import type { ChainReport } from './audit-chain.js';
import type { AuditInput, AuditPage, AuditQuery, AuditRecord } from './types.js';

/**
 * Port for the append-only audit log (SPEC §4). Implementation: `SqlAuditLog` (PGlite or PostgreSQL).
 * `append` returns only after the record is durable.
 */
export interface AuditLog {
  append(input: AuditInput): Promise<AuditRecord>;
  /**
   * Appends a record made earlier (its id and time kept), unless a record with its id is already there: an
   * outbox drained twice, or by two processes at once, never doubles a record. True when it was appended.
   */
  appendRecord(record: AuditRecord): Promise<boolean>;
  /** Newest first, filtered, paged by `cursor`. */
  query(query: AuditQuery): Promise<AuditPage>;
  /** Checks every record's hash and its link to the one before (`aegis audit verify`). */
  verify(): Promise<ChainReport>;
  close(): Promise<void>;
}
