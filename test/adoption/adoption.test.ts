import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, testAppCredentials } from '../helpers/fake-github/fake-github.js';
import { deliver, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { ADMIN_URL } from '../helpers/postgres-admin.js';
import { generateRegistry } from '../../bench/lsp/generate-registry.js';
import { LspTestClient } from '../lsp/lsp-test-client.js';
import { runJavaScriptAction } from './actions-runner.js';
import { Adopter, mustRun, runProgram } from './adopter.js';
import { startAppBundle } from './app-process.js';
import { healthcheckCommand, readDockerfile } from './dockerfile.js';

// A platform team adopting Aegis from its own repository, outside this workspace: it installs the packed CLI
// from its tarball (dependencies from the npm registry), sets up a repository with `aegis init`, and
// proposes a breaking change on a branch.
describe('adopting Aegis in your own repository', () => {
  let adopter: Adopter;
  let tarball = '';
  let tools = '';
  let repo = '';
  const bin = (name: string): string => path.join(tools, 'node_modules/.bin', name);
  const aegis = (args: string[], cwd = repo) => runProgram(bin('aegis'), args, { cwd });
  const schemaFile = (): string => path.join(repo, '.kiro/schemas/accounts.yaml');

  beforeAll(async () => {
    adopter = await Adopter.create();
    tarball = await adopter.packCli();
    tools = await adopter.install(tarball);
    repo = await adopter.gitRepo('registry');
  }, 300_000);
  afterAll(() => adopter.cleanup());

  it('installs one package from its tarball, with no workspace package in it or beside it', async () => {
    expect(path.basename(tarball)).toMatch(/^aegis-schema-registry-cli-\d+\.\d+\.\d+\.tgz$/);
    const installed = JSON.parse(
      await readFile(path.join(tools, 'node_modules/@aegis-schema-registry/cli/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    const deps = Object.entries(installed.dependencies);
    expect(deps.filter(([name, range]) => name.startsWith('@aegis/') || range.startsWith('workspace:'))).toEqual([]);
    expect(await readdir(path.join(tools, 'node_modules'))).not.toContain('@aegis');
    const help = await aegis(['--help'], tools);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+init\s/m);
  });

  it('aegis init sets the repository up; the registry validates and is committed', async () => {
    const init = await aegis(['init']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote     .kiro/schemas/accounts.yaml');
    expect(init.stdout).toContain('wrote     .github/workflows/aegis.yml');
    const again = await aegis(['init']);
    expect(again.stdout).not.toMatch(/^(wrote|overwrote|kept)/m);
    expect(await aegis(['validate'])).toMatchObject({ code: 0 });
    await mustRun('git', ['add', '-A'], repo);
    await mustRun('git', ['commit', '-qm', 'Set up Aegis'], repo);
  });

  it('the installed language server checks a schema as it is edited', async () => {
    const client = LspTestClient.start({ command: bin('aegis-language-server'), args: ['--stdio'], cwd: repo });
    try {
      await client.initialize(repo);
      const uri = pathToFileURL(schemaFile()).href;
      const text = await readFile(schemaFile(), 'utf8');
      await client.open(
        uri,
        text.replace('references: []', 'references:\n  - { schema: acounts, column: id, foreign_key: id }'),
      );
      const diagnostics = await client.waitFor(uri, (list) => list.some((d) => d.code === 'unknown-schema'));
      expect(diagnostics.find((d) => d.code === 'unknown-schema')?.message).toContain('acounts');
    } finally {
      await client.stop();
    }
  });

  it('the installed language server loads a large registry in worker threads (the package ships the worker)', async () => {
    const dir = adopter.dir('generated');
    await generateRegistry(dir, 300);
    const client = LspTestClient.start({ command: bin('aegis-language-server'), args: ['--stdio'], cwd: dir });
    try {
      await client.initialize(dir);
      await client.scanned();
      const last = client.progress.filter((p) => p.value.kind === 'report').at(-1)?.value.message;
      expect(last).toMatch(/^301 files loaded in [1-4] worker threads?$/);
    } finally {
      await client.stop();
    }
  });

  it('a breaking change on a branch fails aegis check against main', async () => {
    await mustRun('git', ['checkout', '-qb', 'drop-email'], repo);
    const text = await readFile(schemaFile(), 'utf8');
    const withoutEmail = text
      .replace(/ {2}- name: email\n(?: {4}.*\n)+\n/, '')
      .replace(/indexes:\n(?: {2,}.*\n)+\n/, 'indexes: []\n\n');
    await writeFile(schemaFile(), withoutEmail);
    await mustRun('git', ['commit', '-qam', 'Drop the email column'], repo);
    const check = await aegis(['check', '--base', 'main']);
    expect(check.stdout).toMatch(/accounts\.yaml:\d+:\d+ error breaking-change .*email/);
    expect(check.stdout).toContain('version-not-bumped');
    expect(check.code).toBe(1);
  });

  it('the GitHub Action annotates the breaking change, summarises the diff with its ERD, sets outputs and fails', async () => {
    const actionDir = await adopter.actionCheckout();
    const git = (...args: string[]) => mustRun('git', args, repo).then((out) => out.trim());
    const pull = {
      number: 7,
      title: 'Drop the email column',
      headSha: await git('rev-parse', 'HEAD'),
      headRef: 'drop-email',
      baseSha: await git('rev-parse', 'main'),
      baseRef: 'main',
      body: 'Accounts are reached through their profile now.',
      author: 'alice',
    };
    const event = pullRequestPayload('opened', pull, { fullName: 'acme/registry', installationId: 1 });
    Object.assign(event['pull_request'] as object, { html_url: 'https://github.com/acme/registry/pull/7' });
    const run = (inputs: Record<string, string>) =>
      runJavaScriptAction({
        actionDir,
        workspace: repo,
        scratch: adopter.dir(),
        event,
        inputs,
        env: { GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'drop-email' },
      });

    const failing = await run({});
    const annotations = failing.stdout.split('\n').filter((l) => l.startsWith('::error '));
    const breaking = annotations.find((l) => l.includes('title=aegis breaking-change'));
    expect(breaking).toMatch(/file=\.kiro\/schemas\/accounts\.yaml,line=\d+,.*::.*email/);
    expect(annotations.some((l) => l.includes('title=aegis version-not-bumped'))).toBe(true);
    expect(failing.summary).toContain(
      '# Aegis schema check — [#7](https://github.com/acme/registry/pull/7) Drop the email column',
    );
    expect(failing.summary).toMatch(/```mermaid\nerDiagram/);
    expect(failing.summary).toContain('**breaking**');
    expect(failing.outputs).toEqual({ breaking: 'true', errors: String(annotations.length), changed: '1' });
    expect(failing.stdout).toMatch(/^::error::aegis: \d+ error\(s\) \(fail-on: error\)/m);
    expect(failing.code).toBe(1);

    const reportOnly = await run({ 'fail-on': 'never', 'verify-database-url': ADMIN_URL });
    expect(reportOnly.summary).toMatch(/### Migration proof\n\nverified /);
    expect(reportOnly.stdout).toContain(`::add-mask::${ADMIN_URL}`);
    expect(reportOnly.outputs['breaking']).toBe('true');
    expect(reportOnly.code).toBe(0);
  });

  it('the app bundle starts with plain node from a folder without node_modules and publishes the four checks', async () => {
    const appDir = await adopter.appBundle();
    await expect(readdir(appDir)).resolves.not.toContain('node_modules');
    const credentials = testAppCredentials();
    const fake = await FakeGitHub.start(credentials);
    fake.addRepo('acme/registry', repo);
    fake.state.permissions.set('alice', 'write');
    const app = await startAppBundle(appDir, {
      APP_ID: String(credentials.appId),
      PRIVATE_KEY: credentials.privateKey,
      WEBHOOK_SECRET: 'adopter-secret',
      PORT: '0',
      GHE_HOST: fake.url.replace('http://', ''),
      GHE_PROTOCOL: 'http',
      AEGIS_DATA_DIR: adopter.dir('app-data/db'),
      AEGIS_MIRROR_DIR: adopter.dir('app-data/mirrors'),
      AEGIS_GIT_URL: fake.gitUrlTemplate,
      AEGIS_GITHUB_THROTTLE: 'off',
      LOG_LEVEL: 'warn',
    });
    try {
      const [probe = '', ...probeArgs] = healthcheckCommand(await readDockerfile());
      const port = new URL(app.url).port;
      expect(await runProgram(probe, probeArgs, { cwd: appDir, env: { PORT: port } })).toMatchObject({ code: 0 });
      const git = (...args: string[]) => mustRun('git', args, repo).then((out) => out.trim());
      const headSha = await git('rev-parse', 'drop-email');
      const pull = { number: 7, headSha, headRef: 'drop-email', baseRef: 'main', body: 'Fixes #3', author: 'alice' };
      fake.state.setPull('acme/registry', pull);
      const payload = pullRequestPayload('opened', pull, { fullName: 'acme/registry', installationId: 11 });
      const delivered = await deliver(`${app.url}/api/github/webhooks`, 'pull_request', payload, {
        secret: 'adopter-secret',
      });
      expect(delivered.status).toBeLessThan(300);
      const names = ['aegis/validate', 'aegis/rbac', 'aegis/audit', 'aegis/freeze'];
      await fake.waitFor(
        () => names.every((n) => fake.state.latestCheck(n, headSha)?.conclusion),
        30_000,
        `the four checks on ${headSha}\n${app.log()}`,
      );
      const conclusions = names.map((n) => [n, fake.state.latestCheck(n, headSha)?.conclusion]);
      expect(Object.fromEntries(conclusions)).toEqual({
        'aegis/validate': 'failure',
        'aegis/rbac': 'success',
        'aegis/audit': 'success',
        'aegis/freeze': 'success',
      });
      expect(fake.unexpected()).toEqual([]);
    } finally {
      await app.stop();
      await fake.close();
    }
  });
});
