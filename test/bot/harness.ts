import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBot } from '@aegis/bot';
import type { RunningBot } from '@aegis/bot';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { FakeGitHub, testAppCredentials } from '../helpers/fake-github/fake-github.js';
import { appEnv } from '../helpers/fake-github/app-env.js';
import { deliver, issueCommentPayload, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import type { TestPull, TestRepoRef } from '../helpers/fake-github/webhooks.js';

export const SECRET = 'aegis-test-secret';
export const REPO: TestRepoRef = {
  fullName: 'acme/registry',
  installationId: 77,
  defaultBranch: 'main',
  webBase: 'https://ghe.acme.test',
};
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The policy of the test repository's default branch. It also decides what the API tokens' roles permit:
 * the `viewer` token (grafana) reads branch states and the audit log, so the policy's viewer grants that;
 * `indexer` is not defined here, so that token gets the built-in indexer role (the documented fallback).
 */
export const RBAC_YAML = `roles:
  admin: { permissions: ["schema:*", "branch:*", "index:*", "audit:read"] }
  developer: { permissions: [schema:read, schema:write, schema:create, branch:lock, branch:unlock] }
  viewer: { permissions: [schema:read, branch:read, audit:read] }
members:
  "@acme/platform": [admin]
  "@acme/devs": [developer]
owners:
  user-service: ["@acme/identity"]
  policy-service: ["@acme/policy"]
  application-service: ["@acme/identity"]
  audit-service: ["@acme/platform"]
`;

/** This repository's example registry (users, policies, applications, audit_logs) plus the test policy. */
export async function exampleFiles(): Promise<Record<string, string>> {
  const dir = path.join(ROOT, '.kiro/schemas');
  const files: Record<string, string> = { '.kiro/rbac.yaml': RBAC_YAML };
  for (const name of await readdir(dir)) files[`.kiro/schemas/${name}`] = await readFile(path.join(dir, name), 'utf8');
  return files;
}

/** A fake GitHub with a real repository, the app served over HTTP, and helpers to drive a PR. */
export class Harness {
  bot!: RunningBot;
  private nextComment = 5000;
  private env: NodeJS.ProcessEnv = {};

  private constructor(
    readonly fake: FakeGitHub,
    readonly repo: GitRepo,
    readonly dataDir: string,
  ) {}

  static async start(extraEnv: NodeJS.ProcessEnv = {}): Promise<Harness> {
    const app = testAppCredentials();
    const fake = await FakeGitHub.start(app);
    const repo = await createGitRepo({ files: await exampleFiles() });
    fake.addRepo(REPO.fullName, repo.dir);
    const people: [string, string][] = [
      ['alice', 'write'],
      ['mallory', 'write'],
      ['root', 'admin'],
      ['dave', 'write'],
      ['rita', 'read'],
    ];
    for (const [login, perm] of people) fake.state.permissions.set(login, perm);
    fake.state.teams.set('acme/platform', new Set(['root']));
    fake.state.teams.set('acme/devs', new Set(['alice', 'mallory', 'dave']));
    fake.state.teams.set('acme/identity', new Set(['alice', 'dave']));
    const h = new Harness(fake, repo, await mkdtemp(path.join(tmpdir(), 'aegis-bot-')));
    h.env = { ...appEnv(fake, { secret: SECRET, dataDir: h.dataDir }), ...extraEnv };
    h.bot = await startBot(h.env);
    return h;
  }

  get webhookUrl(): string {
    return `${this.bot.url}/api/github/webhooks`;
  }

  /**
   * The environment of another replica of this app, for a separate process: the same app, fake GitHub and
   * shared stores as this one's (`extraEnv`), its own port, data directory and mirror.
   */
  replicaEnv(name: string): NodeJS.ProcessEnv {
    return {
      ...this.env,
      AEGIS_DATA_DIR: path.join(this.dataDir, `db-${name}`),
      AEGIS_MIRROR_DIR: path.join(this.dataDir, `mirrors-${name}`),
    };
  }

  /** Starts another replica of the app on the same stores (its own port and mirror). */
  async replica(name: string): Promise<RunningBot> {
    return startBot({ ...this.env, AEGIS_MIRROR_DIR: path.join(this.dataDir, `mirrors-${name}`) });
  }

  /** Stops the app and starts it again on the same data directory (a restart). */
  async restart(): Promise<void> {
    await this.bot.close();
    this.bot = await startBot(this.env);
  }

  /** Stops everything; fails if the app or the fake ever left GitHub's published contract. */
  async close(): Promise<void> {
    await this.bot.close();
    await this.fake.close();
    await this.repo.cleanup();
    await rm(this.dataDir, { recursive: true, force: true });
    const off = this.fake.contractViolations().map((c) => `${c.method} ${c.path}: ${c.problem ?? ''}`);
    if (off.length > 0) throw new Error(`off GitHub's REST description:\n${off.join('\n')}`);
  }

  /** Sends a signed delivery and expects GitHub's usual 2xx. */
  async send(event: string, payload: Record<string, unknown>, id?: string): Promise<void> {
    const res = await deliver(this.webhookUrl, event, payload, { secret: SECRET, id });
    if (res.status >= 300) throw new Error(`delivery ${event} answered ${res.status}: ${res.text}`);
  }

  /** Commits `files` on a new branch off main, registers the PR with the fake and delivers `opened`. */
  async openPull(
    number: number,
    opts: { author: string; body: string | null; files: Record<string, string>; remove?: string[] },
  ): Promise<TestPull> {
    const branch = `pr-${number}`;
    await this.repo.checkout('main');
    await this.repo.branch(branch);
    if (opts.remove) await this.repo.remove(...opts.remove);
    const headSha = await this.repo.commit(`change for #${number}`, opts.files);
    await this.repo.checkout('main');
    const pull: TestPull = { number, headSha, headRef: branch, baseRef: 'main', body: opts.body, author: opts.author };
    this.fake.state.setPull(REPO.fullName, pull);
    await this.send('pull_request', pullRequestPayload('opened', pull, REPO));
    await this.fake.waitFor(() => this.checksFor(headSha) >= 4, 20_000, `four checks on PR #${number}`);
    return pull;
  }

  /**
   * Opens PR `number` by `author` (alice unless said) whose one commit rewrites main's
   * `.kiro/schemas/<schema>.yaml` with `edit`; resolves once its four checks ran (see `openPull`).
   */
  async openSchemaPull(
    number: number,
    change: { schema: string; edit: (text: string) => string; body: string | null; author?: string },
  ): Promise<TestPull> {
    const file = `.kiro/schemas/${change.schema}.yaml`;
    const text = await this.repo.git('show', `main:${file}`);
    const author = change.author ?? 'alice';
    return this.openPull(number, { author, body: change.body, files: { [file]: change.edit(text) } });
  }

  /**
   * Pushes a commit of `files` to the PR's branch and moves the fake's PR to it, delivering nothing (tests send
   * GitHub's deliveries for the push in the order they test); returns the PR at its new head.
   */
  async pushTo(pull: TestPull, files: Record<string, string>, message = 'another push'): Promise<TestPull> {
    await this.repo.checkout(pull.headRef);
    const headSha = await this.repo.commit(message, files);
    await this.repo.checkout('main');
    const moved = { ...pull, headSha };
    this.fake.state.setPull(REPO.fullName, moved);
    return moved;
  }

  /** How many check runs the app created on a commit. */
  checksFor(headSha: string): number {
    return this.fake.state.checkRuns.filter((c) => c.headSha === headSha).length;
  }

  /** Posts a comment command as `author` on PR/issue `issue`; resolves once the bot replied. */
  async comment(issue: number, author: string, body: string): Promise<string> {
    const id = this.nextComment++;
    this.fake.state.comments.push({ id, repo: REPO.fullName, issue, body, user: author, updates: 0 });
    // The bot's replies quote the command (defused of mentions); its audit comments start with a marker.
    const replies = () =>
      this.fake.state.comments.filter((c) => c.issue === issue && c.user.endsWith('[bot]') && c.body.startsWith('> '));
    const before = replies().length;
    await this.send('issue_comment', issueCommentPayload('created', { id, body, author, issueNumber: issue }, REPO));
    await this.fake.waitFor(() => replies().length > before, 20_000, `reply to ${body}`);
    const reply = replies().at(-1);
    return reply?.body ?? '';
  }
}
