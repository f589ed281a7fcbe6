import { auditId } from './domain/audit-id.js';
import type { AuditInput, AuditRecord } from './types.js';

const throughJson = (v: unknown): unknown => (v === undefined || v === null ? null : JSON.parse(JSON.stringify(v)));

/** The record an input becomes: its id and time assigned, `old`/`new` as a log returns them (through JSON). */
export function newAuditRecord(input: AuditInput): AuditRecord {
  const at = input.at ?? new Date();
  return {
    id: auditId(input.repo, input.branch, input.action, at),
    at: at.toISOString(),
    repo: input.repo,
    branch: input.branch,
    actor: input.actor,
    issue: input.issue ?? null,
    action: input.action,
    resourceType: input.resourceType ?? null,
    resourceId: input.resourceId ?? null,
    old: throughJson(input.old),
    new: throughJson(input.new),
    reason: input.reason ?? null,
    delivery: input.delivery ?? null,
    ipAddress: input.ipAddress ?? null,
    userAgent: input.userAgent ?? null,
  };
}

/**
 * How an issue is written in audit records: a GitHub issue number as `#12` (`12` and `#12` find the same
 * records), any other key (`OMS-123`) as given. Every audit query (CLI, HTTP API) goes through it.
 */
export function issueKey(issue: string): string {
  return /^\d+$/.test(issue) ? `#${issue}` : issue;
}
