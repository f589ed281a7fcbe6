import type { ChainReport } from './audit-chain.js';
import type { AuditInput, AuditPage, AuditQuery, AuditRecord } from './types.js';

/**
 * Port for the append-only audit log (SPEC §4). Implementation: `SqlAuditLog` (PGlite or PostgreSQL).
 * `append` returns only after the record is durable.
 */
export interface AuditLog {
  append(input: AuditInput): Promise<AuditRecord>;
  /** Newest first, filtered, paged by `cursor`. */
  query(query: AuditQuery): Promise<AuditPage>;
  /** Checks every record's hash and its link to the one before (`aegis audit verify`). */
  verify(): Promise<ChainReport>;
  close(): Promise<void>;
}
