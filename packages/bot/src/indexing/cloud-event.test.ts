import { InvalidRequestError } from '@aegis/freeze';
import { describe, expect, it } from 'vitest';
import { cloudEventOperation, parseCloudEvent } from './cloud-event.js';
import { normaliseInput } from './normalise-input.js';

describe('CloudEvents → operations', () => {
  it('maps the seeds’ and our event types, and a completed event with status failed to indexing.failed', () => {
    const op = (type: string, data: Record<string, unknown> = {}) => cloudEventOperation({ type, data });
    expect(op('com.oms.indexing.completed')).toBe('indexing.completed');
    expect(op('com.oms.indexing.completed', { status: 'failed' })).toBe('indexing.failed');
    expect(op('funnel.indexing.failed')).toBe('indexing.failed');
    expect(op('aegis.indexing.started')).toBe('indexing.started');
    expect(op('com.oms.shadow.indexing.completed')).toBe('shadow.complete');
    expect(op('aegis.shadow.progress')).toBe('shadow.progress');
    expect(() => op('com.oms.schema.changed')).toThrow(InvalidRequestError);
  });

  it('refuses an envelope without id, source, type or data', () => {
    expect(() => parseCloudEvent({ source: 's', type: 't', data: {} })).toThrow(/id, source and type/);
    expect(() => parseCloudEvent({ id: '1', source: 's', type: 't' })).toThrow(/data object/);
  });
});

describe('normaliseInput', () => {
  it('accepts the seed’s snake_case body', () => {
    const input = normaliseInput(
      'indexing.completed',
      {
        branch_name: 'feature/user-schema',
        indexing_id: 'idx-123',
        records_indexed: 1250,
        validation_results: { passed: false, errors: ['x'] },
      },
      'acme/registry',
    );
    expect(input).toEqual({
      repo: 'acme/registry',
      branch: 'feature/user-schema',
      indexingId: 'idx-123',
      recordsIndexed: 1250,
      validation: { passed: false, errors: ['x'] },
    });
    expect(
      normaliseInput('shadow.progress', {
        shadow_index_id: 's-1',
        progress_percent: 65,
        estimated_completion_seconds: 420,
      }),
    ).toEqual({
      shadowId: 's-1',
      progressPercent: 65,
      etaSeconds: 420,
    });
    expect(
      normaliseInput('shadow.switch', {
        shadow_index_id: 's-1',
        force_switch: true,
        validation_checks: ['SIZE_COMPARISON'],
      }),
    ).toEqual({
      shadowId: 's-1',
      force: true,
      checks: ['SIZE_COMPARISON'],
    });
  });

  it('names the missing or malformed field', () => {
    expect(() => normaliseInput('indexing.started', { indexing_id: 'x' }, 'acme/registry')).toThrow(
      'branch is required',
    );
    expect(() => normaliseInput('indexing.started', { branch: 'main' })).toThrow('repo (owner/name) is required');
    expect(() =>
      normaliseInput('shadow.complete', { shadow_index_id: 's', record_count: -1, index_size_bytes: 1 }),
    ).toThrow('non-negative');
  });

  it('takes a force-unlock without a reason (seed 000) and records that none was given', () => {
    expect(normaliseInput('branch.force-unlock', { branch: 'main', repo: 'a/b' })).toMatchObject({
      reason: 'force-unlock (no reason given)',
    });
  });
});
