import type { FreezeService } from '@aegis/freeze';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CheckName, CheckResult } from '../checks/check-result.js';
import { ChecksUnpublishedError } from '../errors.js';
import type { GitHubPort } from '../github.js';
import { FakeGitHubPort, gitHubError } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import { silentLog } from '../log.js';
import type { GatePublisher, GateTarget } from './gate-ports.js';
import { allPassed, publishResults } from './publish-results.js';

let store: MemoryFreeze;
let freeze: FreezeService;
beforeAll(async () => {
  store = await memoryFreeze();
  freeze = store.freeze;
});
afterAll(() => store.close());

/** The in-memory GitHub, with check runs refused (a secondary rate limit) for the names in `refuse`. */
function fakeGitHub(refuse: CheckName[] = []) {
  const gh = new FakeGitHubPort();
  const create = gh.checks.create;
  gh.checks.create = async (params) => {
    if (refuse.includes(params['name'] as CheckName)) throw gitHubError(403, 'secondary rate limit');
    return create(params);
  };
  const published = () => gh.checkRuns.map((r) => r.params as { name: string; conclusion: string });
  return { gh, published };
}

interface Seen {
  metrics: string[];
  comments: { issue: number; pr: number }[];
  merges: number[];
}

function publisher(seen: Seen, afterChecks = true): GatePublisher {
  return {
    freeze,
    config: { dedupeTtlMs: 3600_000 },
    checkRuns: { inc: (l) => seen.metrics.push(`${l.check}=${l.conclusion}`) },
    syncAuditComment: async (_gh, issue, pr) => void seen.comments.push({ issue: issue.number, pr }),
    afterChecks: afterChecks ? async (_repo, pr) => void seen.merges.push(pr) : undefined,
  };
}

const result = (name: CheckName, conclusion: CheckResult['conclusion'], title = `${name} ${conclusion}`) => ({
  name,
  conclusion,
  title,
  summary: title,
  annotations: [],
});
const green = (['aegis/validate', 'aegis/rbac', 'aegis/audit', 'aegis/freeze'] as const).map((n) =>
  result(n, 'success'),
);
const linked = { key: '#7', number: 7, keyword: 'Fixes' };
let pr = 100;

function target(gh: GitHubPort, headSha = 'c'.repeat(40)): GateTarget {
  const pull = {
    number: pr,
    headSha,
    baseRef: 'main',
    body: 'Fixes #7',
    author: 'alice',
    authorType: 'User',
    state: 'open',
  };
  return { gh, repo: { fullName: 'acme/registry', defaultBranch: 'main' }, pull, log: silentLog, delivery: 'd-1' };
}
const blocked = async () => (await freeze.queryAudit({ repo: 'acme/registry', action: 'check.blocked' })).records;
const ofPr = async (n: number) => (await blocked()).filter((r) => (r.new as { pr?: number }).pr === n);

describe('publishResults', () => {
  let seen: Seen;
  beforeEach(() => {
    seen = { metrics: [], comments: [], merges: [] };
    pr++;
  });

  it('publishes every check, counts it, and gives auto-merge its turn only when all passed', async () => {
    const { gh, published } = fakeGitHub();
    await publishResults(publisher(seen), target(gh), linked, green);
    expect(published().map((p) => p.name)).toEqual(green.map((r) => r.name));
    expect(gh.calls.map((c) => c.method)).toEqual(green.map(() => 'checks.create')); // nothing else asked of GitHub
    expect(seen.metrics).toEqual(green.map((r) => `${r.name}=success`));
    expect(seen.merges).toEqual([pr]);
    expect(seen.comments).toEqual([]); // nothing audited, so the issue's comment has nothing new
  });

  it('audits a blocking result once per head SHA, before publishing, and refreshes the issue comment', async () => {
    const { gh, published } = fakeGitHub();
    const red = [result('aegis/freeze', 'failure', 'Frozen: 1 lock on main'), result('aegis/audit', 'success')];
    await publishResults(publisher(seen), target(gh), linked, red);
    await publishResults(publisher(seen), target(gh), linked, red);
    const records = await ofPr(pr);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ actor: 'alice', issue: '#7', resourceId: 'aegis/freeze', delivery: 'd-1' });
    expect(seen.comments).toEqual([{ issue: 7, pr }]);
    expect(published()).toHaveLength(4); // re-published each time: the audit is what is deduplicated
    expect(seen.merges).toEqual([]);
    // A new push is a new head: the same verdict is recorded again for it.
    await publishResults(publisher(seen), target(gh, 'd'.repeat(40)), linked, red);
    expect(await ofPr(pr)).toHaveLength(2);
  });

  it('publishes each check on its own: one refused never keeps the others off the PR, and the call fails after', async () => {
    const { gh, published } = fakeGitHub(['aegis/rbac']);
    const out = publishResults(publisher(seen), target(gh), linked, green);
    await expect(out).rejects.toBeInstanceOf(ChecksUnpublishedError);
    await expect(out).rejects.toThrow(/aegis\/rbac/);
    expect(published().map((p) => p.name)).toEqual(['aegis/validate', 'aegis/audit', 'aegis/freeze']);
    expect(seen.metrics).not.toContain('aegis/rbac=success');
    expect(seen.merges).toEqual([]); // auto-merge waits until every check is out
  });

  it('still publishes the checks when the audit store is down (they fail closed and say why)', async () => {
    const { gh, published } = fakeGitHub();
    const down: GatePublisher = {
      ...publisher(seen),
      freeze: {
        firstDelivery: async () => true,
        forgetDelivery: async () => undefined,
        appendAudit: () => Promise.reject(new Error('audit store down')),
      },
    };
    await publishResults(down, target(gh), linked, [result('aegis/rbac', 'failure')]);
    expect(published().map((p) => p.conclusion)).toEqual(['failure']);
    expect(seen.comments).toEqual([]);
  });

  it('writes no audit comment for a PR linked by key only (no issue number here)', async () => {
    const { gh } = fakeGitHub();
    await publishResults(publisher(seen), target(gh), { key: 'OMS-1', keyword: 'key' }, [
      result('aegis/rbac', 'failure'),
    ]);
    expect(await ofPr(pr)).toHaveLength(1);
    expect(seen.comments).toEqual([]);
  });

  it('merges nothing where no auto-merge is wired', async () => {
    const { gh } = fakeGitHub();
    await publishResults(publisher(seen, false), target(gh), linked, green);
    expect(seen.merges).toEqual([]);
  });
});

describe('allPassed', () => {
  it.each<[string, CheckResult[], boolean]>([
    ['every check green', green, true],
    ['nothing decided', [], false],
    ['one neutral', [...green.slice(1), result('aegis/validate', 'neutral')], false],
    ['one failure', [...green.slice(1), result('aegis/validate', 'failure')], false],
  ])('%s → %s', (_, results, expected) => expect(allPassed(results)).toBe(expected));
});
