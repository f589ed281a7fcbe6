import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { tokenPrincipal } from '../rbac/authorize.js';
import { FakeGitHubPort } from '../test-support/fake-github-port.js';
import { useMemoryFreeze } from '../test-support/memory-freeze.js';
import { shadowComplete, shadowSwitch } from './shadow-handlers.js';

const REPO = 'acme/registry';
const TREE = 'a'.repeat(40);
const caller = { identity: 'funnel', principal: tokenPrincipal('funnel', ['indexer']), transport: 'api' as const };
const world = useMemoryFreeze();
let n = 0;

/**
 * Only what the shadow handlers use: the freeze facade, the switch metric, GitHub-as-fields with no open PR,
 * and a mirror that cannot read the branch head (its registry tree is unknown).
 */
function ports(autoSwitch = false) {
  const gh = new FakeGitHubPort();
  return {
    bot: {
      freeze: world.freeze,
      mirror: { sync: () => Promise.reject(new Error('no mirror in this test')) },
      metrics: { registry: new Registry() },
      config: {},
      auditComments: new Map<string, number>(),
      clock: Date.now,
    },
    github: async (name: string) =>
      name === REPO ? { gh, info: { fullName: REPO, defaultBranch: 'main' } } : undefined,
    ...(autoSwitch ? { autoSwitch } : {}),
  };
}

/** A build of a branch of its own, from `TREE`. */
async function building() {
  const ref = { repo: REPO, branch: `shadow-${++n}` };
  const { shadow } = await world.freeze.shadow.start(
    { ...ref, indexType: 'search', resourceTypes: ['schema'], treeHash: TREE },
    { actor: 'funnel' },
  );
  return { ref, shadow };
}

/** The switch histogram's counts by outcome; null before any switch registered it. */
const switchSeconds = async (registry: Registry) =>
  registry.getSingleMetric('aegis_switch_duration_seconds')
    ? (await registry.getSingleMetricAsString('aegis_switch_duration_seconds')).match(/_count\{outcome="\w+"\} \d+/g)
    : null;

describe('shadow.switch: the checks against the tree it is told, the swap, its duration measured', () => {
  it('switches a BUILT build of the current tree, and says so', async () => {
    const ops = ports();
    const { shadow } = await building();
    await world.freeze.shadow.complete(shadow.id, { recordCount: 3, sizeBytes: 30 }, { actor: 'funnel' });
    const out = await shadowSwitch(ops, { shadowId: shadow.id, currentTreeHash: TREE }, caller);
    expect([out.success, out.state, out.pointer.active]).toEqual([true, 'ACTIVE', shadow.id]);
    expect(out.message).toMatch(/^Index switch completed successfully in \d+ms$/);
    expect(await switchSeconds(ops.bot.metrics.registry)).toEqual(['_count{outcome="switched"} 1']);
  });

  it('refuses a build of another tree, and says why', async () => {
    const ops = ports();
    const { shadow } = await building();
    await world.freeze.shadow.complete(shadow.id, { recordCount: 3, sizeBytes: 30 }, { actor: 'funnel' });
    const out = await shadowSwitch(ops, { shadowId: shadow.id, currentTreeHash: 'b'.repeat(40) }, caller);
    expect([out.success, out.state]).toEqual([false, 'BUILT']);
    expect(out.message).toMatch(/^Index switch refused: /);
    expect(await switchSeconds(ops.bot.metrics.registry)).toEqual(['_count{outcome="refused"} 1']);
  });
});

describe('shadow.complete with auto-switch on: only a build of the branch head’s tree is switched in at once', () => {
  it('leaves a build whose head tree cannot be read BUILT, for a PR or a person', async () => {
    const ops = ports(true);
    const { shadow } = await building();
    const out = await shadowComplete(ops, { shadowId: shadow.id, recordCount: 3, sizeBytes: 30 }, caller);
    expect([out.state, out.switchReady]).toEqual(['BUILT', true]);
    expect(await switchSeconds(ops.bot.metrics.registry)).toBeNull();
  });
});
