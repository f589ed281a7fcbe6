import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../log.js';
import { recordedPushes } from '../rbac/pull-pushes.js';
import { aPull, FakeGitHubPort, gitHubError } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import type { Gate } from './gate-ports.js';
import { PullHeads } from './pull-heads.js';
import { rerunChecks } from './rerun-checks.js';
import { runPlanned } from './run-planned.js';

describe('runPlanned', () => {
  let store: MemoryFreeze;
  beforeAll(async () => {
    store = await memoryFreeze();
  });
  afterAll(() => store.close());

  const unused = () => Promise.reject(new Error('aegis/audit reads no repository'));
  const gateOf = (): Gate => ({
    freeze: store.freeze,
    mirror: { sync: unused },
    cache: { registryOf: unused },
    actors: { resolve: unused },
    config: { dedupeTtlMs: 3600_000 },
    checkRuns: { inc: () => undefined },
    syncAuditComment: async () => undefined,
  });
  let number = 0;
  function setup() {
    const gh = new FakeGitHubPort();
    gh.issues[7] = 'open';
    const pull = aPull(++number, { body: 'Fixes #7' });
    gh.pullFiles[pull.number] = [{ path: '.kiro/schemas/users.yaml' }];
    const target = { gh, repo: { fullName: gh.fullName, defaultBranch: 'main' }, pull, log: silentLog };
    return { gh, target, runs: () => gh.checkRuns.length };
  }
  const names = ['aegis/audit'] as const;
  const pr = { names, once: 'pull_request' as const };
  const suite = { names, once: 'check_suite' as const };

  it("decides a push's head once, whichever of its two deliveries comes first", async () => {
    const { target, runs } = setup();
    expect(await runPlanned(gateOf(), target, pr)).toHaveLength(1);
    expect(await runPlanned(gateOf(), target, suite)).toBeUndefined();
    expect(runs()).toBe(1);
    const pushed = { ...target, pull: { ...target.pull, headSha: 'e'.repeat(40) } };
    expect(await runPlanned(gateOf(), pushed, suite)).toHaveLength(1);
    expect(await runPlanned(gateOf(), pushed, pr)).toBeUndefined();
    expect(runs()).toBe(2);
  });

  it('decides a head once when both deliveries of a push arrive at once (two replicas)', async () => {
    for (let i = 0; i < 5; i++) {
      const { target, runs } = setup();
      const decided = await Promise.all([runPlanned(gateOf(), target, pr), runPlanned(gateOf(), target, suite)]);
      expect(decided.filter((d) => d !== undefined)).toHaveLength(1);
      expect(runs()).toBe(1);
    }
  });

  it('runs a second delivery of the same side (only the pair is one decision)', async () => {
    const { target, runs } = setup();
    await runPlanned(gateOf(), target, pr);
    await runPlanned(gateOf(), target, pr);
    expect(runs()).toBe(2);
  });

  it('runs whenever a person asks, even for a decided head', async () => {
    const { target, runs } = setup();
    await runPlanned(gateOf(), target, pr);
    await runPlanned(gateOf(), target, { names });
    expect(runs()).toBe(2);
  });

  it('decides the head again when the base branch changed', async () => {
    const { target, runs } = setup();
    await runPlanned(gateOf(), target, pr);
    await runPlanned(gateOf(), { ...target, pull: { ...target.pull, baseRef: 'release' } }, suite);
    expect(runs()).toBe(2);
  });

  describe('a head a newer push replaced while its event waited', () => {
    const all = { names: ['aegis/validate', 'aegis/audit'] as const, once: 'pull_request' as const };
    /** A gate whose mirror "waits" while a newer push's delivery arrives; nothing may be parsed. */
    function waiting(newer: string, gh: FakeGitHubPort, heads = new PullHeads()): Gate {
      return {
        ...gateOf(),
        heads,
        mirror: {
          sync: async () => {
            heads.note(gh.fullName, number, newer);
            return '/nowhere';
          },
        },
      };
    }
    const newer = 'f'.repeat(40);

    it('is published cancelled, each check, without being judged', async () => {
      const { gh, target } = setup();
      gh.pulls.set(target.pull.number, { ...aPull(target.pull.number), headSha: newer });
      const results = await runPlanned(waiting(newer, gh), target, all);
      expect(results?.map((r) => [r.name, r.conclusion])).toEqual([
        ['aegis/validate', 'cancelled'],
        ['aegis/audit', 'cancelled'],
      ]);
      expect(gh.checkRuns.map((r) => [r.params['head_sha'], r.params['conclusion']])).toEqual([
        [target.pull.headSha, 'cancelled'],
        [target.pull.headSha, 'cancelled'],
      ]);
    });

    it('is judged when GitHub still names it the head (the other delivery came out of order)', async () => {
      const { gh, target } = setup();
      gh.pulls.set(target.pull.number, { ...aPull(target.pull.number), headSha: target.pull.headSha });
      await expect(runPlanned(waiting(newer, gh), target, all)).resolves.toSatisfy((r: unknown) =>
        (r as { conclusion: string }[]).every((x) => x.conclusion !== 'cancelled'),
      );
    });
  });

  // #19: in a burst a push's check_suite.requested may be handled after a newer push moved the PR on.
  describe('a push’s check suite handled after a newer push (rerunChecks)', () => {
    const [old, head] = ['1'.repeat(40), '2'.repeat(40)];
    /** A PR whose head GitHub now says is `head` (a push after `old`), and its two deliveries per push. */
    function moved() {
      const { gh, target } = setup();
      gh.pulls.set(target.pull.number, { ...aPull(target.pull.number), body: 'Fixes #7', headSha: head });
      const listed = { pulls: [{ number: target.pull.number }] };
      const suitePlan = { names, once: 'check_suite' as const };
      return {
        suite: (sha: string) => rerunChecks(gateOf(), target, { headSha: sha, ...listed }, suitePlan),
        pushed: (sha: string) => runPlanned(gateOf(), { ...target, pull: { ...target.pull, headSha: sha } }, pr),
        runsOn: () => gh.checkRuns.map((r) => r.params['head_sha']),
      };
    }

    it('decides neither head again: each is decided once, by the first of its own push’s deliveries', async () => {
      const { suite, pushed, runsOn } = moved();
      await pushed(old);
      await suite(old);
      await pushed(head);
      await suite(head);
      expect(runsOn()).toEqual([old, head]);
    });

    it('decides the commit it names, not the new head, when it comes before its pull_request event', async () => {
      const { suite, pushed, runsOn } = moved();
      await suite(old);
      await pushed(old);
      expect(runsOn()).toEqual([old]);
    });
  });

  it('forgets a run that failed, so the other delivery or a redelivery decides it', async () => {
    const { gh, target, runs } = setup();
    gh.failures.issueStatus = gitHubError(502, 'Bad Gateway');
    await expect(runPlanned(gateOf(), target, pr)).rejects.toThrow('Bad Gateway');
    delete gh.failures.issueStatus;
    expect(await runPlanned(gateOf(), target, suite)).toHaveLength(1);
    expect(runs()).toBe(1);
  });

  // #14: the pull_request side is a push; its sender is recorded for every later judgement of the PR.
  const checkNames = (gh: FakeGitHubPort) => gh.checkRuns.map((r) => r.params['name']);

  it('records who pushed the head, once per push', async () => {
    const { target } = setup();
    await runPlanned(gateOf(), target, pr, 'mallory');
    await runPlanned(gateOf(), target, pr, 'mallory');
    await runPlanned(gateOf(), target, { names }, 'root'); // a re-run asked for by a person is no push
    const pushes = await recordedPushes(store.freeze, target.repo.fullName, target.pull.number);
    expect(pushes).toEqual([{ login: 'mallory', headSha: target.pull.headSha }]);
  });

  it.each<[string, string, unknown[]]>([
    [
      'decides aegis/rbac again for a pusher the check suite could not have known',
      'mallory',
      ['aegis/audit', 'aegis/rbac'],
    ],
    ['adds nothing when the PR author pushed (the author is always judged)', 'alice', ['aegis/audit']],
  ])('after the check suite decided the head first, %s', async (_, sender, expected) => {
    const { gh, target } = setup();
    await runPlanned(gateOf(), target, suite);
    await runPlanned(gateOf(), target, pr, sender);
    expect(checkNames(gh)).toEqual(expected);
  });
});
