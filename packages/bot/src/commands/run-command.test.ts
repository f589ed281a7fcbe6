import { StoreUnavailableError } from '@aegis/freeze';
import type { FreezeService } from '@aegis/freeze';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorResolver } from '../rbac/resolve-actor.js';
import { aPull, FakeGitHubPort } from '../test-support/fake-github-port.js';
import { memoryFreeze } from '../test-support/memory-freeze.js';
import type { MemoryFreeze } from '../test-support/memory-freeze.js';
import { policyRepo } from '../test-support/policy-repo.js';
import type { PolicyRepo } from '../test-support/policy-repo.js';
import { parseCommand } from './parse-command.js';
import { runCommand } from './run-command.js';
import type { CommandDeps, CommandScene } from './run-command.js';

const POLICY = `roles:
  admin: { permissions: ["schema:*", "branch:*", "index:*", "audit:read"] }
  developer: { permissions: [schema:read, schema:write, branch:lock, branch:unlock] }
members:
  "@acme/platform": [admin]
  "@acme/devs": [developer]
`;
const REPO = 'acme/registry';
const MIN = 60_000;

let world: MemoryFreeze;
let policy: PolicyRepo;
let freeze: FreezeService;
let conflicts = 0;
let gh: FakeGitHubPort;
let branchNo = 0;

beforeAll(async () => {
  [world, policy] = await Promise.all([memoryFreeze(), policyRepo(POLICY)]);
  freeze = world.freeze;
});
afterAll(async () => {
  await world.close();
  await policy.cleanup();
});

function deps(overrides: Partial<CommandDeps> = {}): CommandDeps {
  return {
    freeze,
    mirror: policy.mirror,
    actors: new ActorResolver(),
    config: { defaultLockTtlMs: 30 * MIN, maxLockTtlMs: 24 * 60 * MIN },
    metrics: { lockConflicts: { inc: () => void conflicts++ } },
    clock: Date.now,
    ...overrides,
  };
}

/** A fresh branch per case (the store is shared by the file), GitHub as the fake's fields. */
function sceneFor(login: string, pr: number | null = 10): CommandScene {
  gh = new FakeGitHubPort({ pulls: [aPull(10), aPull(11, { state: 'closed', merged: true }), aPull(12)] });
  gh.teams = { 'acme/platform': ['root'], 'acme/devs': ['dave', 'funnel-service'] };
  gh.permissions = { root: 'admin', dave: 'write', rita: 'read' };
  const ref = { repo: REPO, branch: `b${++branchNo}` };
  return { ref, defaultBranch: 'main', login, ...(pr !== null ? { pr } : {}), ctx: { actor: login, issue: '#7' } };
}

async function run(scene: CommandScene, body: string, d = deps()) {
  const cmd = parseCommand(body);
  if (!cmd) throw new Error(`not a command: ${body}`);
  return runCommand(d, gh, scene, cmd);
}

const locksOn = async (scene: CommandScene) => (await freeze.getBranchState(scene.ref)).locks;
const audited = async (scene: CommandScene) =>
  (await freeze.queryAudit({ repo: REPO, branch: scene.ref.branch })).records.map((r) => r.action);

describe('runCommand: who may run which command (RBAC from the default branch)', () => {
  // command, login, the permission it needs, allowed; `/status`, `/help`, `/shadow status` need none.
  // root: admin (team), dave: developer (team), rita: viewer (GitHub read), eve: nothing.
  const table: [string, string, string, boolean][] = [
    ['/status', 'eve', '-', true],
    ['/help', 'eve', '-', true],
    ['/shadow status', 'rita', '-', true],
    ['/lock users', 'root', 'branch:lock', true],
    ['/lock users', 'dave', 'branch:lock', true],
    ['/lock users', 'rita', 'branch:lock', false],
    ['/lock users', 'eve', 'branch:lock', false],
    ['/unlock', 'dave', 'branch:unlock', true],
    ['/unlock', 'rita', 'branch:unlock', false],
    ['/force-unlock stuck', 'root', 'branch:force-unlock', true],
    ['/force-unlock stuck', 'dave', 'branch:force-unlock', false],
    ['/auto-merge', 'dave', 'schema:write', true],
    ['/auto-merge off', 'rita', 'schema:write', false],
    ['/shadow switch', 'dave', 'index:switch', false],
    ['/shadow rollback', 'dave', 'index:rollback', false],
    ['/shadow rollback', 'root', 'index:rollback', true],
  ];
  it.each(table)('%s by %s (%s) → allowed %s', async (body, login, permission, allowed) => {
    const scene = sceneFor(login);
    const reply = await run(scene, body);
    const actions = await audited(scene);
    if (allowed) {
      expect(reply.text).not.toMatch(/Refused/);
      expect(actions).not.toContain('rbac.denied');
    } else {
      expect(reply.text).toMatch(new RegExp(`^⛔ Refused: ${login} has .*, which does not grant ${permission}\\.$`));
      expect(reply.affected).toEqual([]);
      expect(actions).toEqual(['rbac.denied']);
      expect(await locksOn(scene)).toEqual([]);
    }
  });

  it('records who was refused, which permission and on which PR', async () => {
    const scene = sceneFor('dave', 12);
    await run(scene, '/force-unlock the indexer is stuck');
    const [denial] = (await freeze.queryAudit({ repo: REPO, branch: scene.ref.branch })).records;
    expect(denial).toMatchObject({
      actor: 'dave',
      action: 'rbac.denied',
      resourceId: 'branch:force-unlock',
      issue: '#7',
      new: { action: 'command:force-unlock', pr: 12 },
    });
  });
});

describe('runCommand /lock: what is locked, for how long, and what is refused', () => {
  it('locks for the PR, written as the GitHub principal, with the default TTL', async () => {
    const scene = sceneFor('dave');
    const reply = await run(scene, '/lock users --reason moving emails');
    expect(reply.text).toMatch(/^🔒 Locked:/);
    expect(reply.text).toContain('released when this PR is merged or closed');
    expect(reply.affected).toEqual(['schema:users']);
    const [lock] = await locksOn(scene);
    expect(lock).toMatchObject({ holder: 'dave', reason: 'moving emails', ttlMs: 30 * MIN });
    expect(lock?.meta).toEqual({ by: 'dave', principal: 'github:dave', pr: '10' });
    expect(await audited(scene)).toEqual(['lock.acquired']);
  });

  it('keeps `--ttl` after a quoted reason (#16), and caps it at the maximum', async () => {
    const scene = sceneFor('dave');
    await run(scene, '/lock users --reason "x" --ttl 5m');
    expect(await locksOn(scene)).toMatchObject([{ reason: 'x', ttlMs: 5 * MIN }]);
    const capped = sceneFor('dave');
    await run(capped, '/lock --ttl 3d');
    expect(await locksOn(capped)).toMatchObject([{ scope: 'BRANCH', ttlMs: 24 * 60 * MIN }]);
  });

  it('refuses on a closed or merged PR (#14: it took a lock nothing would release)', async () => {
    const scene = sceneFor('root', 11);
    const reply = await run(scene, '/lock --ttl 24h');
    expect(reply).toEqual({ text: 'Not locked: this pull request is closed.', affected: [] });
    expect(await locksOn(scene)).toEqual([]);
    expect(gh.callsOf('getPull')).toEqual([[11]]);
  });

  it('locks from an issue without a PR, saying nothing of a PR release', async () => {
    const scene = sceneFor('dave', null);
    const reply = await run(scene, '/lock schema');
    expect(reply.text).not.toContain('released when this PR');
    expect((await locksOn(scene))[0]?.meta).toEqual({ by: 'dave', principal: 'github:dave' });
    expect(gh.callsOf('getPull')).toEqual([]);
  });

  it('answers a conflict with the blocking lock and when to retry, audited and counted', async () => {
    const scene = sceneFor('root');
    await run(scene, '/lock --ttl 10m --reason reindex');
    const before = conflicts;
    const reply = await run({ ...scene, login: 'dave', ctx: { actor: 'dave' } }, '/lock users');
    expect(reply.text).toMatch(/^Not locked: it conflicts with\n\n- `[^`]+` on the whole branch held by root/);
    expect(reply.text).toMatch(/Retry after ~(9|10) min\.$/);
    expect(reply.affected).toEqual([]);
    expect(conflicts).toBe(before + 1);
    expect(await audited(scene)).toContain('lock.refused');
  });
});

describe('runCommand /unlock: whose locks a commenter may release', () => {
  /** Takes a lock on the scene's branch as `holder` (a PR's, a GitHub user's or an indexer's). */
  async function lockAs(scene: CommandScene, holder: string, meta: Record<string, string>, kind = 'MANUAL') {
    if (kind === 'INDEXING') {
      const { lock } = await freeze.lockForIndexing({ ...scene.ref, holder }, { actor: holder });
      if (!lock) throw new Error('no indexing lock');
      return lock;
    }
    const target = { scope: 'RESOURCE' as const, resourceType: 'schema', resourceId: 'users' };
    return (await freeze.acquireLock({ ...scene.ref, ...target, holder, reason: 'r', meta }, { actor: holder })).lock;
  }

  // lock holder, its meta/kind, who comments /unlock <id> on which PR, released?
  const table: [string, string, Record<string, string>, string, string, number | null, boolean][] = [
    ['its holder on any PR', 'dave', { by: 'dave', principal: 'github:dave' }, 'MANUAL', 'dave', 12, true],
    ['a holder from before namespaces, on an issue', 'dave', { by: 'dave' }, 'MANUAL', 'dave', null, true],
    [
      'anyone on the PR that took it',
      'root',
      { by: 'root', principal: 'github:root', pr: '10' },
      'MANUAL',
      'dave',
      10,
      true,
    ],
    ['not someone on another PR', 'root', { by: 'root', pr: '10' }, 'MANUAL', 'dave', 12, false],
    [
      'not a GitHub user named like an API identity (#14)',
      'funnel-service',
      {},
      'INDEXING',
      'funnel-service',
      12,
      false,
    ],
    [
      'not a GitHub user named like an API principal',
      'funnel-service',
      { principal: 'api:funnel-service' },
      'MANUAL',
      'funnel-service',
      12,
      false,
    ],
  ];
  it.each(table)('%s', async (_, holder, meta, kind, login, pr, released) => {
    const scene = sceneFor(login, pr);
    const lock = await lockAs(scene, holder, meta, kind);
    const reply = await run(scene, `/unlock ${lock.id}`);
    if (released) {
      expect(reply.text).toBe(`🔓 Released \`${lock.id}\`.`);
      expect(await locksOn(scene)).toEqual([]);
    } else {
      expect(reply.text).toBe(
        `\`${lock.id}\` is held by ${holder}, not by you or this PR: ask them, or an admin can \`/force-unlock <reason>\`.`,
      );
      expect((await locksOn(scene)).map((l) => l.id)).toEqual([lock.id]);
    }
  });

  it('without an id releases every lock of this PR and nothing else', async () => {
    const scene = sceneFor('dave', 10);
    await run(scene, '/lock users');
    await run({ ...scene, pr: 12 }, '/lock policies');
    const reply = await run(scene, '/unlock');
    expect(reply.text).toMatch(/^🔓 Released `[^`]+`\.$/);
    expect(reply.affected).toEqual(['schema:users']);
    expect((await locksOn(scene)).map((l) => l.meta['pr'])).toEqual(['12']);
    expect((await run(sceneFor('dave', 10), '/unlock')).text).toBe('This PR holds no lock.');
    expect((await run(sceneFor('dave', 10), '/unlock nope')).text).toMatch(/^No live lock `nope` on b\d+\.$/);
  });
});

describe('runCommand /force-unlock, /status, and a store that is down', () => {
  it('an admin releases every lock of the branch and the reply says how many and why', async () => {
    const scene = sceneFor('root');
    await run(scene, '/lock users');
    await run(scene, '/lock policies');
    const reply = await run(scene, '/force-unlock indexer stuck @acme/platform');
    expect(reply.text).toBe(
      `🚨 Force-unlocked **${scene.ref.branch}** (was ACTIVE): released 2 lock(s). Reason: indexer stuck @\u200bacme/platform`,
    );
    expect(await locksOn(scene)).toEqual([]);
    expect(await audited(scene)).toContain('branch.force-unlock');
  });

  it('/status shows the state and every live lock', async () => {
    const scene = sceneFor('eve');
    expect((await run(scene, '/status')).text).toBe(`**${scene.ref.branch}** is ACTIVE.\n\n- no live locks`);
    await run({ ...scene, login: 'dave' }, '/lock users --reason moving');
    expect((await run(scene, '/status')).text).toMatch(
      /^\*\*b\d+\*\* is ACTIVE\.\n\n- `[^`]+` on `schema:users` held by dave \(.*\/pull\/10\) since .*: moving \(expires in ~30 min unless renewed\)$/,
    );
  });

  it('says the command may not have completed when the store cannot be reached, without its internal text', async () => {
    const scene = sceneFor('dave');
    const down = new StoreUnavailableError('Redis unavailable at redis://:secret@10.0.0.7:6379: connect ECONNREFUSED');
    const broken = { ...freeze, getBranchState: () => Promise.reject(down) } as unknown as CommandDeps['freeze'];
    const logged: unknown[] = [];
    const reply = await run(
      { ...scene, log: { warn: (obj) => void logged.push(obj) } },
      '/unlock',
      deps({ freeze: broken }),
    );
    const id = /correlation id `([0-9a-f]{16})`/.exec(reply.text)?.[1];
    expect(reply.text).toBe(
      `The lock store is unreachable (correlation id \`${id}\`), so this command may not have completed. ` +
        '`/status` shows the branch as it is; try again shortly.',
    );
    expect(reply.text).not.toMatch(/ECONNREFUSED|secret|10\.0\.0\.7|nothing was changed/);
    expect(logged).toEqual([{ err: down, correlationId: id }]);
  });

  it('says a change is made and its audit record queued when the audit log is away', async () => {
    const scene = sceneFor('root');
    await run({ ...scene, login: 'dave' }, '/lock users --reason moving');
    const queued = Object.assign(Object.create(freeze) as typeof freeze, {
      forceUnlock: async (...args: Parameters<typeof freeze.forceUnlock>) => ({
        ...(await freeze.forceUnlock(...args)),
        auditPending: true as const,
      }),
    });
    const reply = await run(scene, '/force-unlock stuck', deps({ freeze: queued }));
    expect(reply.text).toMatch(/^🚨 Force-unlocked \*\*b\d+\*\* \(was ACTIVE\): released 1 lock\(s\)\./);
    expect(reply.text).toContain('this change is made, and its audit record is queued');
    expect(reply.text).not.toContain('nothing was changed');
  });

  it('answers help and unknown commands without asking anyone', async () => {
    const scene = sceneFor('eve');
    expect((await run(scene, '/help')).text).toContain('| `/force-unlock <reason>` |');
    expect((await run(scene, '/frobnicate')).text).toMatch(
      /^unknown command `\/frobnicate`\.\n\n\*\*Aegis commands\*\*/,
    );
    expect(gh.calls).toEqual([]);
  });
});
