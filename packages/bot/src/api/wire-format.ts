/**
 * The HTTP API's answers in the convention of GitHub's API and of the seeds (000–002): snake_case field names
 * and ISO-8601 times. Inside, operations return camelCase with epoch-millisecond times (`@aegis/freeze`'s
 * types); this is the one place that converts, at the edge, just before an answer is sent.
 */
import { snakeCase } from '../indexing/normalise-input.js';

/** Fields holding a time in epoch milliseconds (the store's clock). */
const TIMES = new Set(['createdAt', 'heartbeatAt', 'expiresAt', 'updatedAt', 'completedAt', 'switchedAt', 'now']);

/** Payloads returned as they were recorded (an audit record's `old` / `new`). */
const AS_RECORDED = new Set(['old', 'new']);

/** Maps keyed by ids rather than field names: their keys stay, their values convert. */
const ID_KEYED = new Set(['lockTtlSeconds']);

const iso = (ms: number): string => new Date(ms).toISOString();

function field(key: string, value: unknown): unknown {
  if (AS_RECORDED.has(key)) return value;
  if (typeof value === 'number' && TIMES.has(key)) return iso(value);
  // A branch status's `since` is 0 when its state was never stored (ACTIVE by default).
  if (key === 'since' && typeof value === 'number') return value > 0 ? iso(value) : null;
  if (ID_KEYED.has(key) && value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([id, v]) => [id, toWire(v)]));
  }
  return toWire(value);
}

/** A value as the API answers it: every object key in snake_case, every epoch-ms time as ISO-8601. */
export function toWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toWire);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [snakeCase(key), field(key, v)]));
}
