import type { Redis } from 'ioredis';
import type { AuditOutbox, QueuedAudit } from '../audit-outbox.js';
import type { AuditRecord } from '../types.js';
import { redisCall } from './redis-connection.js';

type StreamEntry = [id: string, fields: string[]];

function queued([entryId, fields]: StreamEntry): QueuedAudit {
  const at = fields.indexOf('record');
  return { entryId, record: JSON.parse(fields[at + 1] ?? 'null') as AuditRecord };
}

/**
 * `AuditOutbox` on a Redis stream (`<prefix>audit-outbox`): `APPLY_BRANCH` appends a change's records to it in
 * the same script that applies the change, so a change in Redis is never without its record; the reconciler
 * reads the stream oldest first and deletes what reached the audit log. Records the log refuses for good move
 * to `<prefix>audit-outbox:parked` with the error.
 */
export class RedisAuditOutbox implements AuditOutbox {
  constructor(
    private readonly redis: Redis,
    /** The stream's key (`APPLY_BRANCH` writes to it too). */
    readonly key: string,
  ) {}

  async enqueue(records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const multi = this.redis.multi();
    for (const r of records) multi.xadd(this.key, '*', 'record', JSON.stringify(r));
    await redisCall(() => multi.exec());
  }

  async peek(limit: number): Promise<QueuedAudit[]> {
    const entries = await redisCall(() => this.redis.xrange(this.key, '-', '+', 'COUNT', limit));
    return (entries as StreamEntry[]).map(queued);
  }

  async remove(entryIds: readonly string[]): Promise<void> {
    if (entryIds.length > 0) await redisCall(() => this.redis.xdel(this.key, ...entryIds));
  }

  async park(entry: QueuedAudit, error: string): Promise<void> {
    const multi = this.redis.multi();
    multi.xadd(`${this.key}:parked`, '*', 'record', JSON.stringify(entry.record), 'error', error);
    multi.xdel(this.key, entry.entryId);
    await redisCall(() => multi.exec());
  }

  async size(): Promise<number> {
    return redisCall(() => this.redis.xlen(this.key));
  }
}
