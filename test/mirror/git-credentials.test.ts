import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../bot/harness.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The real git, found before the test puts its recording wrapper first on PATH. */
const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

describe('the installation token never appears on a git command line', () => {
  let h: Harness;
  let shim: { dir: string; cleanup: () => Promise<void> };
  const savedPath = process.env['PATH'];
  beforeAll(async () => {
    shim = await tempDir();
    // Every git process the app starts records its arguments (what `ps` would show), then runs the real git.
    const log = path.join(shim.dir, 'argv.log');
    await writeFile(
      path.join(shim.dir, 'git'),
      `#!/bin/sh\nprintf '%s\\n' "git $*" >> '${log}'\nexec '${realGit}' "$@"\n`,
    );
    await chmod(path.join(shim.dir, 'git'), 0o755);
    process.env['PATH'] = `${shim.dir}:${savedPath ?? ''}`;
    h = await Harness.start();
  });
  afterAll(async () => {
    process.env['PATH'] = savedPath;
    await h.close();
    await shim.cleanup();
  });

  it('fetches with the token in the environment, so a PR still gets its checks', async () => {
    const users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    const pull = await h.openPull(1, {
      author: 'alice',
      body: 'Fixes #1',
      files: { '.kiro/schemas/users.yaml': users.replace('version: 1.0.0', 'version: 1.0.1') },
    });
    expect(h.fake.state.latestCheck('aegis/validate', pull.headSha)?.conclusion).toBe('success');
    const argv = await readFile(path.join(shim.dir, 'argv.log'), 'utf8');
    expect(argv).toMatch(/^git .*\bfetch\b/m);
    expect(h.fake.state.tokens.size).toBeGreaterThan(0);
    for (const token of h.fake.state.tokens) {
      expect(argv).not.toContain(token);
      expect(argv).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
    }
    expect(argv).not.toMatch(/extraHeader|Authorization/i);
  });
});

describe('credentials in AEGIS_GIT_URL never reach a check summary', () => {
  let h: Harness;
  beforeAll(async () => {
    // Port 1 refuses connections: every fetch fails, with the URL in git's complaint.
    h = await Harness.start({ AEGIS_GIT_URL: 'http://deploy:s3cr3t-pass@127.0.0.1:1/{owner}/{repo}.git' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('says the fetch failed, naming the host but not the user or password', async () => {
    // A registry change: the app must fetch it to judge it (a change outside .kiro/ needs no fetch).
    const users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    const files = { '.kiro/schemas/users.yaml': users.replace('version: 1.0.0', 'version: 1.0.2') };
    const pull = await h.openPull(2, { author: 'alice', body: 'Fixes #2', files });
    const checks = h.fake.state.checkRuns.filter((c) => c.headSha === pull.headSha && c.name !== 'aegis/audit');
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) {
      expect(check.summary).toContain('127.0.0.1:1');
      expect(check.summary).not.toContain('s3cr3t-pass');
      expect(check.summary).not.toContain('deploy:');
    }
  });
});
