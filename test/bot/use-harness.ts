import { afterAll, beforeAll, expect } from 'vitest';
import { Harness } from './harness.js';

/**
 * The suite's harness: started by `start` before its tests and closed after them, failing the suite when the app
 * made a call GitHub would not answer (`unexpected()`). The returned function gives it inside hooks and tests.
 */
export function useHarness(start: () => Promise<Harness> = () => Harness.start()): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    if (!h) return;
    expect(h.fake.unexpected()).toEqual([]);
    await h.close();
  });
  return () => {
    if (!h) throw new Error('the harness is not started yet: call it inside a hook or a test');
    return h;
  };
}
