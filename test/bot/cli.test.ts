import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FreezeService, openStores, PgliteClient } from '@aegis/freeze';
import type { ChainReport } from '@aegis/freeze';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepo } from '../helpers/git-repo.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { AEGIS_BIN, runAegis } from '../helpers/run-aegis.js';
import { testAppCredentials } from '../helpers/fake-github/fake-github.js';
import { deliver } from '../helpers/fake-github/webhooks.js';
import { exampleFiles } from './harness.js';

describe('aegis can / audit / bot', () => {
  let repo: GitRepo;
  let scratch: string;
  beforeAll(async () => {
    repo = await createGitRepo({ files: await exampleFiles() });
    scratch = await mkdtemp(path.join(tmpdir(), 'aegis-cli-bot-'));
  });
  afterAll(async () => {
    await repo.cleanup();
    await rm(scratch, { recursive: true, force: true });
  });

  it('aegis can answers with the same decision as the app, by exit code', async () => {
    const ok = await runAegis(
      ['can', 'alice', 'schema:write', 'users', '--team', '@acme/identity', '--team', 'acme/devs'],
      repo.dir,
    );
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain('allowed: alice has developer (rbac.yaml members) and is an owner of schema users');
    const denied = await runAegis(['can', 'mallory', 'schema:write', 'users', '--team', 'acme/devs'], repo.dir);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('only @acme/identity may write schema users');
    const fallback = await runAegis(
      ['can', 'zoe', 'branch:force-unlock', '--github-permission', 'admin', '--format', 'json'],
      repo.dir,
    );
    expect(JSON.parse(fallback.stdout)).toMatchObject({ allowed: true, via: 'github-permission', roles: ['admin'] });
    const usage = await runAegis(['can', 'zoe'], repo.dir);
    expect(usage.code).toBe(2);
  });

  it('aegis audit queries the records the bot wrote, by issue, action and time', async () => {
    const dataDir = path.join(scratch, 'store');
    const stores = await openStores({ dataDir });
    const freeze = new FreezeService(stores.state, stores.audit);
    const ref = { repo: 'acme/registry', branch: 'main' };
    await freeze.acquireLock(
      { ...ref, scope: 'BRANCH', holder: 'root', reason: 'reindex', meta: { pr: '12' } },
      { actor: 'root', issue: '#12' },
    );
    await freeze.appendAudit({
      ...ref,
      actor: 'dave',
      action: 'rbac.denied',
      issue: '#12',
      reason: 'dave has developer',
    });
    await freeze.appendAudit({ ...ref, actor: 'eve', action: 'rbac.denied', issue: '#13', reason: 'eve has viewer' });
    await stores.close();
    const env = { AEGIS_DATA_DIR: dataDir };
    const byIssue = await runAegis(['audit', '--issue', '12', '--format', 'json'], scratch, env);
    expect(byIssue.code).toBe(0);
    const records = JSON.parse(byIssue.stdout) as { action: string; actor: string }[];
    expect(records.map((r) => r.action).sort()).toEqual(['lock.acquired', 'rbac.denied']);
    const denials = await runAegis(['audit', '--action', 'rbac.denied', '--since', '1h'], scratch, env);
    expect(denials.stdout.trim().split('\n')).toHaveLength(2);
    expect(denials.stdout).toContain('rbac.denied');
    const none = await runAegis(['audit', '--since', '2999-01-01'], scratch, env);
    expect(none.stdout).toContain('No audit records match.');
  });

  it('aegis audit verify finds a record changed behind the append-only table, naming it (exit 1)', async () => {
    const dataDir = path.join(scratch, 'store');
    const env = { AEGIS_DATA_DIR: dataDir };
    const intact = await runAegis(['audit', 'verify'], scratch, env);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.stdout).toMatch(/^Audit log intact: 3 records chained; head [0-9a-f]{64}\n$/);
    // Someone with the database owner's rights turns the guard off and rewrites a denial.
    const sql = await PgliteClient.open(dataDir);
    await sql.query('ALTER TABLE aegis_audit DISABLE TRIGGER USER');
    await sql.query("UPDATE aegis_audit SET reason = 'eve is admin' WHERE actor = 'eve'");
    const [eve] = await sql.query<{ seq: number }>("SELECT seq FROM aegis_audit WHERE actor = 'eve'");
    await sql.close();
    const broken = await runAegis(['audit', 'verify', '--format', 'json'], scratch, env);
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as ChainReport;
    expect(report).toMatchObject({ ok: false, checked: 2, broken: { seq: String(eve?.seq) } });
    expect(report.broken?.why).toMatch(/content does not match/);
  });

  it('aegis bot serves webhooks and rejects an unsigned delivery', async () => {
    const app = testAppCredentials();
    const child = spawn(process.execPath, [AEGIS_BIN, 'bot'], {
      cwd: scratch,
      env: {
        ...process.env,
        APP_ID: String(app.appId),
        PRIVATE_KEY: app.privateKey,
        WEBHOOK_SECRET: 's3cret',
        PORT: '0',
        AEGIS_DATA_DIR: path.join(scratch, 'bot-store'),
        LOG_LEVEL: 'fatal',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr.setEncoding('utf8').on('data', (c: string) => {
          err += c;
          const m = /listening on (\S+)/.exec(err);
          if (m?.[1]) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`aegis bot exited ${code}: ${err}`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const res = await deliver(
        `${url}/api/github/webhooks`,
        'ping',
        { zen: 'hi' },
        { secret: 's3cret', signature: null },
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
