import { CHAIN_START } from '../audit-chain.js';
import type { ChainReport } from '../audit-chain.js';
import type { AuditLog } from '../audit-log.js';
import { newAuditRecord } from '../audit-record.js';
import type { AuditInput, AuditPage, AuditRecord } from '../types.js';

/** Audit log in memory for lock-only load workers, where the audit table is not what is measured. */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];

  async append(input: AuditInput): Promise<AuditRecord> {
    const rec = newAuditRecord(input);
    this.records.push(rec);
    return rec;
  }

  async appendRecord(record: AuditRecord): Promise<boolean> {
    if (this.records.some((r) => r.id === record.id)) return false;
    this.records.push(record);
    return true;
  }

  async query(): Promise<AuditPage> {
    return { records: [...this.records].reverse(), nextCursor: null };
  }

  async verify(): Promise<ChainReport> {
    return { ok: true, checked: 0, unchained: this.records.length, head: CHAIN_START };
  }

  async close(): Promise<void> {}
}
