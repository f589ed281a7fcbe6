import { describe, expect, it } from 'vitest';
import { BoundedConcurrency } from './bounded-concurrency.js';

describe('BoundedConcurrency', () => {
  it('never runs more than its limit, even when tasks finish and arrive at once, and runs every task', async () => {
    const gate = new BoundedConcurrency(3);
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const task = (i: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
      done.push(i);
    };
    await Promise.all(Array.from({ length: 50 }, (_, i) => gate.run(task(i))));
    expect(most).toBe(3);
    expect(gate.peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('frees the slot of a task that fails', async () => {
    const gate = new BoundedConcurrency(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve('ok'))).toBe('ok');
  });
});
