import { describe, expect, it } from 'vitest';
import { batchOptions, joinSyncBatch, syncBatch } from './sync-batch.js';

describe('syncBatch', () => {
  const a = 'a'.repeat(40);
  const b = 'b'.repeat(40);

  it('joins what every waiting sync needs into one fetch, each commit and branch once', () => {
    let batch = syncBatch('t1', { want: [a], branches: ['main'] });
    batch = joinSyncBatch(batch, 't2', { want: [a, b], branches: ['main', 'release'] });
    expect(batchOptions(batch)).toEqual({ want: [a, b], branches: ['main', 'release'] });
    expect(batch).toMatchObject({ token: 't2', requests: 2 });
  });

  it('reads every branch once any sync of the batch reads every branch', () => {
    const batch = joinSyncBatch(syncBatch('t', { want: [a], branches: ['main'] }), 't', { want: [b] });
    expect(batchOptions(batch)).toEqual({ want: [a, b] });
  });

  it('keeps the first clone URL it was given', () => {
    const batch = joinSyncBatch(syncBatch('t', {}), 't', { cloneUrl: 'https://x/y.git' });
    expect(batchOptions(joinSyncBatch(batch, 't', { cloneUrl: 'https://z' }))).toMatchObject({
      cloneUrl: 'https://x/y.git',
    });
  });
});
