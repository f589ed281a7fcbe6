/** bench/mirror's app measures: webhook → four checks on the real app (startBot) over the tests' fake GitHub. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBot } from '@aegis/bot';
import { openStores } from '@aegis/freeze';
import type { RunningBot } from '@aegis/bot';
import { FakeGitHub, testAppCredentials } from '../../test/helpers/fake-github/fake-github.js';
import { appEnv } from '../../test/helpers/fake-github/app-env.js';
import { deliver, pullRequestPayload } from '../../test/helpers/fake-github/webhooks.js';
import type { TestPull } from '../../test/helpers/fake-github/webhooks.js';
import { pushEdit } from './fixtures.js';

const SECRET = 'bench';

/** One app over a fake GitHub serving `repos` (full name → work tree); `extraEnv` adds to or overrides its settings. */
export class BenchApp {
  bot!: RunningBot;
  private env: NodeJS.ProcessEnv = {};
  private edits = 0;

  private constructor(
    readonly fake: FakeGitHub,
    private readonly data: string,
  ) {}

  static async start(repos: Record<string, string>, extraEnv: NodeJS.ProcessEnv = {}): Promise<BenchApp> {
    const creds = testAppCredentials();
    const fake = await FakeGitHub.start(creds);
    for (const [name, dir] of Object.entries(repos)) fake.addRepo(name, dir);
    fake.state.permissions.set('alice', 'write');
    fake.state.teams.set('bench/devs', new Set(['alice']));
    const app = new BenchApp(fake, mkdtempSync(path.join(tmpdir(), 'aegis-bench-mirror-app-')));
    app.env = { ...appEnv(fake, { secret: SECRET, dataDir: app.data }), ...extraEnv };
    app.bot = await startBot(app.env);
    return app;
  }

  /** Pushes an edit to the PR of `repo` and times webhook → its four check runs (milliseconds). */
  async event(fullName: string, dir: string): Promise<number> {
    const headSha = pushEdit(dir);
    this.edits += 1;
    const pull: TestPull = {
      number: 1,
      headSha,
      headRef: 'feature',
      baseRef: 'main',
      body: 'Fixes #1',
      author: 'alice',
    };
    this.fake.state.setPull(fullName, pull);
    const repo = { fullName, installationId: 1, defaultBranch: 'main' };
    const t0 = performance.now();
    const action = this.edits === 1 ? 'opened' : 'synchronize';
    await deliver(`${this.bot.url}/api/github/webhooks`, 'pull_request', pullRequestPayload(action, pull, repo), {
      secret: SECRET,
    });
    await this.fake.waitFor(
      () => this.fake.state.checkRuns.filter((c) => c.headSha === headSha).length >= 4,
      600_000,
      'checks',
    );
    const ms = performance.now() - t0;
    const failed = this.fake.state.checkRuns.filter((c) => c.headSha === headSha && c.conclusion !== 'success');
    if (failed.length) throw new Error(`failing checks: ${failed.map((c) => `${c.name}: ${c.title}`).join('; ')}`);
    return ms;
  }

  /**
   * Stops the app and starts it again on the same data and mirrors; `forget` deletes the saved parses first.
   * Returns how long the start took (milliseconds; it loads the saved parses).
   */
  async restart(forget = false): Promise<number> {
    await this.bot.close();
    if (forget) {
      const stores = await openStores({ dataDir: path.join(this.data, 'db') });
      await stores.cache.clear('parse:');
      await stores.close();
    }
    const t0 = performance.now();
    this.bot = await startBot(this.env);
    return performance.now() - t0;
  }

  async close(): Promise<void> {
    await this.bot.close();
    await this.fake.close();
    rmSync(this.data, { recursive: true, force: true });
  }
}
