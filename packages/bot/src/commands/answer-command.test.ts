import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gate } from '../gate/gate-ports.js';
import type { OperationContext } from '../indexing/index.js';
import { silentLog } from '../log.js';
import { ParseCache } from '../mirror/parse-cache.js';
import { ActorResolver } from '../rbac/resolve-actor.js';
import { aPull, FakeGitHubPort } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import { policyRepo } from '../test-support/policy-repo.js';
import type { PolicyRepo } from '../test-support/policy-repo.js';
import { answerCommand } from './answer-command.js';
import type { AnswerDeps } from './answer-command.js';
import { parseCommand } from './parse-command.js';

const POLICY = 'roles:\n  developer: { permissions: [branch:lock, branch:unlock] }\nmembers:\n  dave: [developer]\n';

describe('answerCommand', () => {
  let world: MemoryFreeze;
  let policy: PolicyRepo;
  let branch = 0;
  beforeAll(async () => {
    [world, policy] = await Promise.all([memoryFreeze(), policyRepo(POLICY)]);
  });
  afterAll(async () => {
    await world.close();
    await policy.cleanup();
  });

  /** A PR 10 into a fresh branch linking #7; the gate records what it is asked, the watcher what it observed. */
  function setup() {
    const base = `b${++branch}`;
    const gh = new FakeGitHubPort({ pulls: [aPull(10, { baseRef: base, body: 'Fixes #7' })] });
    const seen = { comments: [] as string[], observed: [] as string[] };
    // The PR's own head is not in the mirror (the policy repository): re-evaluation reads it and passes over it.
    const gate = {
      mirror: policy.mirror,
      cache: new ParseCache(),
      syncAuditComment: async (_gh, issue, pr) => void seen.comments.push(`${issue.key} #${pr}`),
    } as Partial<Gate> as Gate;
    const deps: AnswerDeps = {
      freeze: world.freeze,
      mirror: policy.mirror,
      actors: new ActorResolver(),
      config: { defaultLockTtlMs: 60_000, maxLockTtlMs: 3600_000 },
      metrics: { lockConflicts: { inc: () => undefined } },
      clock: Date.now,
      watcher: { observe: async (repo, b) => void seen.observed.push(`${repo}@${b}`) },
    };
    const operations = { bot: {} as OperationContext['bot'], gate, github: async () => undefined } as OperationContext;
    const scope = { gh, repo: { fullName: gh.fullName, defaultBranch: 'main' }, log: silentLog, delivery: 'd-1' };
    const answer = (body: string, issue = 10, onPull = true) =>
      answerCommand(deps, operations, scope, { id: 500, issue, onPull, login: 'dave', body }, parseCommand(body)!);
    return { gh, seen, base, answer };
  }

  it('reacts first, answers quoting the command, and runs it on the PR base branch under its linked issue', async () => {
    const { gh, seen, base, answer } = setup();
    await answer('/lock --reason migrating');
    expect(gh.calls[0]).toEqual({ method: 'react', args: [500, 'eyes'] });
    const [reply] = gh.commentsOn(10);
    expect(reply).toMatch(/^> \/lock --reason migrating\n\n@dave 🔒 Locked/);
    const records = await world.freeze.queryAudit({ repo: gh.fullName, branch: base });
    expect(records.records.map((r) => [r.action, r.issue])).toEqual([['lock.acquired', '#7']]);
    expect(seen.comments).toEqual(['#7 #10']);
    // The lock changed what others may write: aegis/freeze is re-run (no other PR is open) and the watcher told.
    expect(gh.callsOf('listOpenPulls')).toEqual([[base]]);
    expect(seen.observed).toEqual([`acme/registry@${base}`]);
  });

  it('changes nothing and tells nobody for a command that changes no lock', async () => {
    const { gh, seen, answer } = setup();
    await answer('/status');
    expect(gh.commentsOn(10)[0]).toMatch(/^> \/status\n\n@dave \*\*b\d+\*\* is ACTIVE/);
    expect(gh.callsOf('listOpenPulls')).toEqual([]);
    expect(seen.observed).toEqual([]);
  });

  it('on an issue: the default branch, audited under that issue, no PR read', async () => {
    const { gh, seen, answer } = setup();
    await answer('/status', 42, false);
    expect(gh.callsOf('getPull')).toEqual([]);
    expect(gh.commentsOn(42)[0]).toContain('**main** is');
    expect(seen.comments).toEqual([]); // the audit comment belongs to a PR
  });
});
