import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSuitePayload, issueCommentPayload, pullRequestPayload } from '../helpers/fake-github/webhooks.js';
import { Harness, REPO } from './harness.js';

// What real GitHub does that a kind fake never did: custom roles, 404s, forks, missing issues, command-like text.
describe('the app against GitHub as documented (signed webhooks, fake GitHub over HTTP)', () => {
  let h: Harness;
  let nextComment = 8000;
  const bump = (text: string, to = '1.0.1') =>
    text.replace('version: 1.0.0', `version: ${to}`).replace('description: ', 'description: (edited) ');
  const botReplies = (issue: number) =>
    h.fake.state.comments.filter((c) => c.issue === issue && c.user.endsWith('[bot]') && c.body.startsWith('> '));
  /** Delivers a comment as a person would post it; resolves, once the app answered, with its latest reply. */
  const say = async (issue: number, author: string, body: string, onPull = true) => {
    const id = nextComment++;
    h.fake.state.comments.push({ id, repo: REPO.fullName, issue, body, user: author, updates: 0 });
    await h.send(
      'issue_comment',
      issueCommentPayload('created', { id, body, author, issueNumber: issue, onPull }, REPO),
    );
    return botReplies(issue).at(-1)?.body ?? '';
  };

  beforeAll(async () => {
    h = await Harness.start();
    h.fake.state.customRoles.set('schema-editor', 'write');
    h.fake.state.permissions.set('erin', 'schema-editor');
    h.fake.state.permissionNotFound.add('drive-by');
  });
  afterAll(async () => {
    await h.close();
  });

  it('a custom repository role counts as its base permission (schema-editor → write may /lock)', async () => {
    const reply = await say(300, 'erin', '/lock users --reason custom role', false);
    expect(reply).toContain('🔒 Locked');
    const lockId = /`(lock[^`]*|[0-9a-f-]{8,})`/.exec(reply)?.[1] ?? '';
    expect(await say(300, 'erin', `/unlock ${lockId}`, false)).toMatch(/🔓|Unlocked|released/i);
  });

  it('a 404 from the permission lookup is no access; a PR that changes no registry file needs no actor', async () => {
    const outside = await h.openPull(301, {
      author: 'drive-by',
      body: 'Fixes #310',
      files: { 'package.json': '{ "name": "x" }\n' },
    });
    for (const name of ['aegis/validate', 'aegis/rbac', 'aegis/freeze', 'aegis/audit'])
      expect(h.fake.state.latestCheck(name, outside.headSha)?.conclusion, name).toBe('success');
    const inside = await h.openSchemaPull(302, {
      schema: 'users',
      author: 'drive-by',
      body: 'Fixes #311',
      edit: bump,
    });
    const rbac = h.fake.state.latestCheck('aegis/rbac', inside.headSha);
    expect(rbac?.conclusion).toBe('failure');
    const said = h.fake.state.checkRuns.filter((c) => c.headSha === inside.headSha).map((c) => c.summary);
    expect(said.join('\n')).not.toContain('repository mirror');
    expect(h.fake.state.latestCheck('aegis/validate', inside.headSha)?.conclusion).toBe('success');
  });

  it('“Re-run all checks” on a fork PR (empty pull_requests) re-runs the PRs whose head is that commit', async () => {
    const pull = await h.openSchemaPull(303, {
      schema: 'users',
      body: 'Fixes #312',
      edit: (text) => bump(text, '1.0.2'),
    });
    h.fake.state.setPull(REPO.fullName, { ...pull, fork: 'eve/registry' });
    const before = h.checksFor(pull.headSha);
    await h.send('check_suite', checkSuitePayload('rerequested', pull.headSha, [], REPO));
    await h.fake.waitFor(() => h.checksFor(pull.headSha) >= before + 4, 20_000, 'checks re-run on the fork PR');
  });

  it('aegis/audit fails for a linked issue that does not exist; the other checks still publish', async () => {
    h.fake.state.removeIssue(REPO.fullName, 404);
    const pull = await h.openSchemaPull(304, {
      schema: 'applications',
      body: 'Fixes #404',
      edit: bump,
    });
    const audit = h.fake.state.latestCheck('aegis/audit', pull.headSha);
    expect(audit?.conclusion).toBe('failure');
    expect(audit?.summary).toMatch(/#404.*(does not exist|not found)/is);
  });

  it('a locked issue refuses the audit comment: logged, and the checks and the reply still happen', async () => {
    h.fake.state.lockIssue(REPO.fullName, 405);
    const pull = await h.openPull(305, {
      author: 'alice',
      body: 'Fixes #405',
      files: { '.kiro/schemas/audit_logs.yaml': 'not: [valid' },
    });
    expect(h.fake.state.latestCheck('aegis/validate', pull.headSha)?.conclusion).toBe('failure');
    expect(h.fake.state.latestCheck('aegis/audit', pull.headSha)?.conclusion).toBe('success');
    expect(await h.comment(305, 'root', '/status')).toContain('main');
  });

  it('only the first non-empty line is a command; never in fences or quotes; unknown words stay silent', async () => {
    await say(306, 'alice', '/cc @acme/devs could you look at this?', false);
    await say(306, 'root', 'How to recover:\n\n```\n/force-unlock stuck indexer\n```', false);
    await say(306, 'root', '> /force-unlock quoted from the runbook\n\nplease do not', false);
    await say(306, 'root', 'thanks!\n/lock', false);
    expect(botReplies(306)).toEqual([]);
    const forced = await h.bot.bot.freeze.queryAudit({ repo: REPO.fullName, action: 'branch.force-unlock' });
    expect(forced.records).toEqual([]);
    expect(await say(306, 'alice', '\n\n/status', false)).toContain('main');
    expect(await say(306, 'alice', '/lokc users', false)).toContain('unknown command');
  });

  it('with issues turned off (410) aegis/audit says so; an edit linking a live issue turns it green', async () => {
    const settings = h.fake.state.repos.get(REPO.fullName);
    if (settings) settings.issuesDisabled = true;
    const pull = await h.openSchemaPull(307, {
      schema: 'policies',
      body: 'Fixes #406',
      edit: bump,
    });
    if (settings) settings.issuesDisabled = false;
    expect(h.fake.state.latestCheck('aegis/audit', pull.headSha)?.summary).toMatch(/issues are (disabled|turned off)/i);
    await h.send('pull_request', pullRequestPayload('edited', { ...pull, body: 'Fixes #407' }, REPO));
    expect(h.fake.state.latestCheck('aegis/audit', pull.headSha)?.conclusion).toBe('success');
  });
});
