import { createHash } from 'node:crypto';
import type { AuditRecord } from './types.js';

/** The `prev` of the first chained record. */
export const CHAIN_START = '0'.repeat(64);

/** JSON with object keys sorted at every depth: the same bytes however a store reorders keys (jsonb does). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The hash of one audit record chained to its predecessor's: sha256 over the previous hash and the record's
 * canonical JSON (every field the log returns). Changing, removing or reordering any earlier record changes
 * every hash after it, which `verifyChain` (and `aegis audit verify`) finds. The client fields added later
 * (`ipAddress`, `userAgent`) count only when set, so records written before them keep their hashes.
 */
export function chainHash(prev: string, record: AuditRecord): string {
  const { id, at, repo, branch, actor, issue, action, resourceType, resourceId, reason, delivery } = record;
  const fields = {
    ...{ id, at, repo, branch, actor, issue, action, resourceType, resourceId, reason, delivery },
    ipAddress: record.ipAddress ?? undefined,
    userAgent: record.userAgent ?? undefined,
  };
  return createHash('sha256')
    .update(`${prev}\n${canonicalJson({ ...fields, old: record.old, new: record.new })}`)
    .digest('hex');
}

/** One stored record with its place in the chain. */
export interface ChainedRecord {
  seq: string;
  record: AuditRecord;
  prev: string | null;
  hash: string | null;
}

/** What `verifyChain` found. */
export interface ChainReport {
  ok: boolean;
  /** Records checked (chained ones). */
  checked: number;
  /** Records written before the log was chained (no hash): listed, not judged. */
  unchained: number;
  /** The last record's hash: keep it elsewhere to detect a truncated tail later. */
  head: string;
  /** The first record that does not match, and why. */
  broken?: { seq: string; id: string; why: string };
}

/**
 * Checks records fed in `seq` order: each hash, and each link to the record before. Feed it page by page
 * (`add` returns false at the first broken record), then read `report()`.
 */
export class ChainCheck {
  private head = CHAIN_START;
  private checked = 0;
  private unchained = 0;
  private broken: ChainReport['broken'];

  add({ seq, record, prev, hash }: ChainedRecord): boolean {
    if (this.broken) return false;
    const fail = (why: string): boolean => ((this.broken = { seq, id: record.id, why }), false);
    if (hash === null) {
      if (this.checked > 0) return fail('has no hash, after chained records');
      this.unchained += 1;
      return true;
    }
    if (prev !== this.head) return fail('does not link to the record before it (records removed or reordered)');
    if (chainHash(prev, record) !== hash) return fail('its content does not match its hash (changed after writing)');
    this.head = hash;
    this.checked += 1;
    return true;
  }

  report(): ChainReport {
    const { head, checked, unchained, broken } = this;
    return { ok: broken === undefined, checked, unchained, head, ...(broken ? { broken } : {}) };
  }
}
