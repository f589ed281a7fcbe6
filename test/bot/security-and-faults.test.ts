import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRunPayload, checkSuitePayload, deliver, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { Harness, REPO, SECRET } from './harness.js';
import { lineOf } from './line-of.js';

describe('security and faults (PGlite store)', () => {
  let h: Harness;
  let users: string;
  beforeAll(async () => {
    h = await Harness.start();
    users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
  });
  afterAll(async () => {
    expect(h.fake.unexpected()).toEqual([]);
    await h.close();
  });

  it('rejects a forged or missing signature without calling GitHub', async () => {
    const pull = {
      number: 20,
      headSha: await h.repo.sha(),
      headRef: 'main',
      baseRef: 'main',
      body: 'Fixes #1',
      author: 'alice',
    };
    const payload = pullRequestPayload('opened', pull, REPO);
    const forged = await deliver(h.webhookUrl, 'pull_request', payload, { secret: 'not-the-secret' });
    const missing = await deliver(h.webhookUrl, 'pull_request', payload, { secret: SECRET, signature: null });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(h.fake.calls).toEqual([]);
  });

  it('a PR that edits rbac.yaml to grant itself rights gains nothing, and a broken policy fails validate', async () => {
    const policy = await h.repo.git('show', 'main:.kiro/rbac.yaml');
    const granted = policy
      .replace('"@acme/devs": [developer]', '"@acme/devs": [developer]\n  mallory: [admin, superuser]')
      .replace('user-service: ["@acme/identity"]', 'user-service: ["@acme/identity", mallory]');
    const changed = users.replace('version: 1.0.0', 'version: 1.0.1').replace('Display name', 'Name shown');
    const pull = await h.openPull(21, {
      author: 'mallory',
      body: 'Fixes #400',
      files: { '.kiro/rbac.yaml': granted, '.kiro/schemas/users.yaml': changed },
    });
    const rbac = h.fake.state.latestCheck('aegis/rbac', pull.headSha)!;
    expect(rbac.conclusion).toBe('failure');
    expect(rbac.summary).toContain('only @acme/identity may write schema users');
    expect(rbac.summary).toContain('only admin may change the policy');
    const validate = h.fake.state.latestCheck('aegis/validate', pull.headSha)!;
    expect(validate.conclusion).toBe('failure');
    const unknownRole = validate.annotations.find((a) => a.title === 'rbac-unknown-role');
    expect(unknownRole).toMatchObject({ path: '.kiro/rbac.yaml', start_line: lineOf(granted, 'superuser') });
    // The denial is an audit record, written before the check was published.
    const records = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, issue: '#400' });
    expect(records.records.map((r) => r.resourceId)).toEqual(expect.arrayContaining(['aegis/rbac', 'aegis/validate']));
  });

  it('a redelivered webhook is processed once', async () => {
    const changed = users.replace('version: 1.0.0', 'version: 1.0.3').replace('Phone number', 'Phone');
    const pull = await h.openPull(22, {
      author: 'alice',
      body: 'Fixes #401',
      files: { '.kiro/schemas/users.yaml': changed },
    });
    const payload = pullRequestPayload('synchronize', pull, REPO);
    await h.send('pull_request', payload, 'delivery-22-sync');
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 8, 20_000, 'the first delivery processed');
    const after = h.checksFor(pull.headSha);
    expect(after).toBe(8);
    // The duplicate is answered as soon as the store says it was seen (no 202 "still processing").
    await h.send('pull_request', payload, 'delivery-22-sync');
    expect(h.checksFor(pull.headSha)).toBe(after);
  });

  it('check_suite and check_run re-requests re-run the checks', async () => {
    const changed = users.replace('version: 1.0.0', 'version: 1.0.4').replace('Email address', 'E-mail');
    const pull = await h.openPull(23, {
      author: 'alice',
      body: 'Fixes #402',
      files: { '.kiro/schemas/users.yaml': changed },
    });
    await h.send('check_suite', checkSuitePayload('rerequested', pull.headSha, [23], REPO));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 8, 20_000, 'the suite re-run');
    expect(h.checksFor(pull.headSha)).toBe(8);
    await h.send('check_run', checkRunPayload('aegis/audit', pull.headSha, [23], REPO));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= 9, 20_000, 'the check re-run');
    expect(h.checksFor(pull.headSha)).toBe(9);
    expect(h.fake.state.checkRuns.at(-1)).toMatchObject({ name: 'aegis/audit', conclusion: 'success' });
  });

  it('a PR the mirror cannot read still gets its checks, failing with the reason', async () => {
    // GitHub lists the PR's registry change, but its git service answers 503 to every fetch of it.
    await h.repo.checkout('main');
    await h.repo.branch('gone');
    const changed = users.replace('version: 1.0.0', 'version: 1.0.9');
    const ghost = await h.repo.commit('unreachable', { '.kiro/schemas/users.yaml': changed });
    await h.repo.checkout('main');
    h.fake.faults.fail({ path: /^\/git\//, times: 1000 }, { status: 503, body: 'Service Unavailable' });
    const pull = { number: 25, headSha: ghost, headRef: 'gone', baseRef: 'main', body: 'Fixes #404', author: 'alice' };
    h.fake.state.setPull(REPO.fullName, pull);
    await h.send('pull_request', pullRequestPayload('opened', pull, REPO));
    await h.fake.waitFor(() => h.checksFor(ghost) >= 4, 20_000, 'checks on an unreadable PR');
    h.fake.faults.clear();
    for (const name of ['aegis/validate', 'aegis/rbac', 'aegis/freeze']) {
      expect(h.fake.state.latestCheck(name, ghost)).toMatchObject({
        conclusion: 'failure',
        title: 'Aegis could not read this pull request',
      });
    }
    expect(h.fake.state.latestCheck('aegis/audit', ghost)?.conclusion).toBe('success');
    // Git's error text reaches the PR page; the installation token never does.
    const said = h.fake.state.checkRuns.map((c) => c.summary).join('\n');
    for (const token of h.fake.state.tokens) expect(said).not.toContain(token);
    expect(said).not.toMatch(/Authorization|extraHeader/);
  });

  it('a restart loses no lock and no audit record', async () => {
    const changed = users.replace('version: 1.0.0', 'version: 1.0.5').replace('Whether the user is active', 'Active?');
    await h.openPull(24, { author: 'root', body: 'Refs #403', files: { '.kiro/schemas/users.yaml': changed } });
    const reply = await h.comment(24, 'root', '/lock users --reason before restart');
    expect(reply).toContain('Locked');
    const before = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName });
    await h.restart();
    const status = await h.comment(24, 'alice', '/status');
    expect(status).toContain('before restart');
    const after = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName });
    expect(after.records.map((r) => r.id)).toEqual(expect.arrayContaining(before.records.map((r) => r.id)));
    expect(after.records.some((r) => r.action === 'lock.acquired' && r.issue === '#403')).toBe(true);
  });

  it('after a restart, finds its audit comment on a long issue (paged) and edits it instead of adding one', async () => {
    for (let i = 0; i < 150; i++) h.fake.state.addHumanComment(REPO.fullName, 800, 'alice', `discussion ${i}`);
    const broken = users
      .replace('version: 1.0.0', 'version: 1.0.6')
      .replace('type: BOOLEAN', 'type: BOOLEAN\n    colour: red');
    const pull = await h.openPull(26, {
      author: 'alice',
      body: 'Fixes #800',
      files: { '.kiro/schemas/users.yaml': broken },
    });
    const ours = () =>
      h.fake.state.comments.filter((c) => c.issue === 800 && c.body.includes('aegis-audit acme/registry#26'));
    await h.fake.waitFor(() => ours().length === 1, 20_000, 'the audit comment');
    await h.restart();
    const again = { ...pull, headSha: await h.repo.git('rev-parse', 'pr-26') };
    await h.repo.checkout('pr-26');
    again.headSha = await h.repo.commit('still broken', {
      '.kiro/schemas/users.yaml': broken.replace('Display name', 'Name'),
    });
    await h.repo.checkout('main');
    h.fake.state.setPull(REPO.fullName, again);
    await h.send('pull_request', pullRequestPayload('synchronize', again, REPO));
    await h.fake.waitFor(() => (ours()[0]?.updates ?? 0) >= 1, 20_000, 'the audit comment edited');
    expect(ours()).toHaveLength(1);
    expect(
      h.fake.apiCalls(/GET \/repos\/acme\/registry\/issues\/800\/comments/).map((c) => c.query.get('page')),
    ).toEqual(['1', '2', '1', '2']);
  });
});
