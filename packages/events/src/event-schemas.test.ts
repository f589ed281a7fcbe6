import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { eventNames } from './event-names.js';
import { shippedJsonSchemas } from './event-schemas.js';
import { parseInbound } from './parse-inbound.js';

const SCHEMA_DIR = path.resolve(import.meta.dirname, '../schema');
const ajv = new Ajv({ formats: { 'date-time': true } });

describe('shipped JSON Schemas', () => {
  it('are the ones the consumer validates with, and valid draft-07', () => {
    for (const [file, schema] of Object.entries(shippedJsonSchemas())) {
      const shipped = JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as object;
      expect(shipped, file).toEqual(schema);
      expect(ajv.validateSchema(shipped), file).toBe(true);
    }
  });

  it('accept the seed 001 event shape (with a repository or a default one) and reject what breaks the contract', () => {
    const names = eventNames();
    const seed = {
      id: 'indexing-uuid',
      source: 'funnel-service',
      type: 'com.oms.indexing.completed',
      data: {
        repository: 'acme/registry',
        branch_name: 'feature/user-schema',
        indexing_id: 'idx-123',
        started_at: '2025-06-26T10:00:00Z',
        completed_at: '2025-06-26T10:30:00Z',
        status: 'success',
        records_indexed: 1250,
        validation_results: { passed: true, errors: [] },
      },
    };
    const bytes = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
    const ok = parseInbound(names, 'funnel.indexing.completed', bytes(seed));
    expect(ok.ok && ok.value.kind).toBe('indexing.completed');
    // Exactly the seed's shape (no repository) with the bot's default repository.
    const bare = parseInbound(
      names,
      'funnel.indexing.completed',
      bytes({ ...seed, data: { ...seed.data, repository: undefined } }),
      'acme/default',
    );
    expect(bare.ok && bare.value.event.data.repository).toBe('acme/default');
    const cases: [string, unknown, RegExp][] = [
      ['funnel.indexing.completed', '{not json', /not UTF-8 JSON/],
      ['funnel.indexing.completed', { ...seed, data: { ...seed.data, repository: undefined } }, /repository/],
      ['funnel.indexing.completed', { ...seed, data: { ...seed.data, status: 'maybe' } }, /status/],
      ['funnel.indexing.started', seed, /does not match subject/],
      ['funnel.unknown', seed, /no operation/],
    ];
    for (const [subject, body, reason] of cases) {
      const parsed = parseInbound(names, subject, bytes(body));
      expect(parsed.ok, subject).toBe(false);
      if (!parsed.ok) expect(parsed.rejection.reason).toMatch(reason);
    }
    const invalid = parseInbound(names, 'funnel.indexing.completed', new Uint8Array([0xff, 0xfe]));
    expect(invalid.ok).toBe(false);
  });
});
