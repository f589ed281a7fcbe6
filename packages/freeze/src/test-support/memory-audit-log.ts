import type { AuditLog } from '../audit-log.js';
import { auditId } from '../domain/audit-id.js';
import type { AuditInput, AuditPage, AuditRecord } from '../types.js';

/** Audit log in memory for lock-only load workers, where the audit table is not what is measured. */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];

  async append(input: AuditInput): Promise<AuditRecord> {
    const at = input.at ?? new Date();
    const rec: AuditRecord = {
      id: auditId(input.repo, input.branch, input.action, at),
      at: at.toISOString(),
      repo: input.repo,
      branch: input.branch,
      actor: input.actor,
      issue: input.issue ?? null,
      action: input.action,
      resourceType: input.resourceType ?? null,
      resourceId: input.resourceId ?? null,
      old: input.old ?? null,
      new: input.new ?? null,
      reason: input.reason ?? null,
      delivery: input.delivery ?? null,
    };
    this.records.push(rec);
    return rec;
  }

  async query(): Promise<AuditPage> {
    return { records: [...this.records].reverse(), nextCursor: null };
  }

  async close(): Promise<void> {}
}
