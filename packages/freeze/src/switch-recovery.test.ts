import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FreezeService } from './freeze-service.js';
import { waitFor } from './test-support/backends.js';
import { MemoryAuditLog } from './test-support/memory-audit-log.js';
import { spawnWorker } from './test-support/spawn-worker.js';
import { useTestStores } from './test-support/suite.js';

const SWITCH_LOCK_TTL_MS = 600;

/** Runs the hanging switch worker until it is inside the switch, then kills it; returns the two build ids. */
async function killMidSwitch(env: Record<string, string>, ref: { repo: string; branch: string }) {
  const child = spawnWorker('switch-hang', { ...env, ...ref, switchLockTtlMs: SWITCH_LOCK_TTL_MS });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const ids = await new Promise<{ first: string; second: string }>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith('IN-SWITCH '));
      if (!line) return;
      const [, first = '', second = ''] = line.split(' ');
      child.kill('SIGKILL');
      resolve({ first, second });
    });
    child.on('exit', (code) => reject(new Error(`worker exited before the switch (${code}): ${err}`)));
  });
  await new Promise((r) => child.once('exit', r));
  return ids;
}

/** Issue 14 item 7: a process killed mid-switch leaves a build in SWITCHING; recovery rolls it back. */
describe.each(['postgres', 'redis'] as const)('recovery of an interrupted switch on %s', (backend) => {
  const stores = useTestStores(backend);

  it('SIGKILL mid-switch: the index type is not wedged; the build switches again after the switch lock lapses', async () => {
    const ref = { repo: 'acme/registry', branch: `wedge-${randomBytes(3).toString('hex')}` };
    // The stores' own audit log: on SQL a shadow move and its record commit in one transaction there.
    const freeze = new FreezeService(stores().state, stores().audit, { switchLockTtlMs: SWITCH_LOCK_TTL_MS });
    const { first, second } = await killMidSwitch(stores().env, ref);
    expect((await freeze.shadow.status(second)).state).toBe('SWITCHING');
    expect((await freeze.shadow.pointer(ref, 'search')).active).toBe(first);
    await waitFor(async () => (await freeze.getBranchState(ref)).locks.length === 0, 5000);

    // After a restart: the interrupted build rolls back to BUILT and switches; nothing else is needed.
    const out = await freeze.shadow.switch(second, { currentTreeHash: 't' }, { actor: 'admin' });
    expect(out).toMatchObject({ switched: true, pointer: { active: second, previous: first } });
    const records = (await freeze.queryAudit({ ...ref, actor: 'admin' })).records.reverse();
    expect(records.map((r) => r.action)).toEqual(['shadow.switch-recovered', 'shadow.switched']);
    expect(records[0]?.reason).toBe(`interrupted switch rolled back: the pointer still names ${first}`);
    const next = await freeze.shadow.start(
      { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 't' },
      { actor: 'funnel' },
    );
    expect(next.shadow.state).toBe('PREPARING');
  });

  it('SIGKILL mid-switch: the interrupted build can be cancelled, freeing the index type for a new build', async () => {
    const ref = { repo: 'acme/registry', branch: `wedge-${randomBytes(3).toString('hex')}` };
    const freeze = new FreezeService(stores().state, new MemoryAuditLog(), { switchLockTtlMs: SWITCH_LOCK_TTL_MS });
    const { second } = await killMidSwitch(stores().env, ref);
    await waitFor(async () => (await freeze.getBranchState(ref)).locks.length === 0, 5000);
    await expect(freeze.shadow.cancel(second, 'superseded', { actor: 'admin' })).resolves.toMatchObject({
      shadow: { state: 'CANCELLED' },
    });
    const again = await freeze.shadow.start(
      { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: 't' },
      { actor: 'funnel' },
    );
    expect(again.shadow.state).toBe('PREPARING');
  });
});
