import { beforeAll, describe, expect, it } from 'vitest';
import { lineOf } from './line-of.js';
import { useHarness } from './use-harness.js';

describe('pull request checks (signed deliveries, fake GitHub, real git)', () => {
  const harness = useHarness();
  let users: string;
  beforeAll(async () => {
    users = await harness().repo.git('show', 'main:.kiro/schemas/users.yaml');
  });

  it('a normal change passes all four checks, with the ERD and dependents in the validate summary', async () => {
    const h = harness();
    const changed = users
      .replace('version: 1.0.0', 'version: 1.1.0')
      .replace('columns:\n', 'columns:\n  - name: nickname\n    type: VARCHAR(50)\n    nullable: true\n\n');
    const pull = await h.openPull(1, {
      author: 'alice',
      body: 'Add nicknames.\n\nFixes #100',
      files: { '.kiro/schemas/users.yaml': changed },
    });
    const byName = (n: string) => h.fake.state.latestCheck(n, pull.headSha);
    for (const name of ['aegis/validate', 'aegis/rbac', 'aegis/audit', 'aegis/freeze']) {
      expect(byName(name), name).toMatchObject({ status: 'completed', conclusion: 'success' });
    }
    const validate = byName('aegis/validate')!;
    expect(validate.summary).toContain('```mermaid\nerDiagram');
    expect(validate.summary).toContain('`applications`');
    expect(validate.summary).toContain('application-service');
    expect(byName('aegis/audit')!.title).toBe('Linked to #100');
    expect(byName('aegis/rbac')!.summary).toContain('alice');
    // The mirror was fetched over git with the installation token, after one page of the PR's file list
    // showed a registry path (#19: a change beside the registry would not have been fetched).
    expect(h.fake.calls.some((c) => c.path.startsWith('/git/acme/registry.git/git-upload-pack'))).toBe(true);
    // aegis/rbac lists the PR's commits to judge everyone who contributed them (#14).
    expect(h.fake.apiCalls(/pulls/).map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /repos/acme/registry/pulls/1/files',
      'GET /repos/acme/registry/pulls/1/commits',
    ]);
  });

  it('a breaking change without a version bump fails validate with annotations on the right lines', async () => {
    const h = harness();
    const changed = users.replace(/ {2}- name: phone\n( {4}.*\n)+\n/, '');
    expect(changed).not.toContain('phone');
    const pull = await h.openPull(2, {
      author: 'alice',
      body: 'Refs #101',
      files: { '.kiro/schemas/users.yaml': changed },
    });
    const validate = h.fake.state.latestCheck('aegis/validate', pull.headSha)!;
    expect(validate.conclusion).toBe('failure');
    const notBumped = validate.annotations.find((a) => a.title === 'version-not-bumped');
    expect(notBumped).toMatchObject({ path: '.kiro/schemas/users.yaml', annotation_level: 'failure' });
    expect(notBumped!.start_line).toBe(lineOf(changed, 'version: 1.0.0'));
    expect(
      validate.annotations.some((a) => a.title === 'breaking-change' && a.path === '.kiro/schemas/users.yaml'),
    ).toBe(true);
    expect(validate.summary).toContain('breaking-change');
    // The blocking outcome is audited and mirrored once on the linked issue.
    const onIssue = () => h.fake.state.comments.filter((c) => c.issue === 101 && c.user.endsWith('[bot]'));
    await h.fake.waitFor(() => onIssue().length > 0, 20_000, 'the audit comment on #101');
    const audit = onIssue();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.body).toContain('check.blocked');
  });

  it('an invalid schema gets an annotation on the offending line', async () => {
    const h = harness();
    const bad = users
      .replace('version: 1.0.0', 'version: 1.0.1')
      .replace('type: BOOLEAN', 'type: BOOLEAN\n    colour: red');
    const parsedBefore = h.bot.bot.cache.parsed;
    const pull = await h.openPull(3, {
      author: 'alice',
      body: 'Refs #102',
      files: { '.kiro/schemas/users.yaml': bad },
    });
    // Parsed files are cached by blob id: this event parsed only the one blob it had not seen.
    expect(h.bot.bot.cache.parsed - parsedBefore).toBe(1);
    const validate = h.fake.state.latestCheck('aegis/validate', pull.headSha)!;
    expect(validate.conclusion).toBe('failure');
    const a = validate.annotations.find((x) => x.title === 'invalid-field');
    expect(a?.start_line).toBe(lineOf(bad, 'colour: red'));
  });

  it('sends more than 50 annotations in batches of 50', async () => {
    const h = harness();
    const columns = Array.from(
      { length: 120 },
      (_, i) => `  - { name: c${i}, type: TEXT, nullable: true, colour: red }`,
    ).join('\n');
    const wide = `name: wide\nowner: user-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, nullable: false, primary_key: true }\n${columns}\n`;
    const pull = await h.openPull(4, {
      author: 'alice',
      body: 'Refs #103',
      files: { '.kiro/schemas/wide.yaml': wide },
    });
    const validate = h.fake.state.latestCheck('aegis/validate', pull.headSha)!;
    expect(validate.conclusion).toBe('failure');
    const count = validate.annotations.length;
    expect(count).toBeGreaterThan(100);
    expect(validate.annotationBatches.every((n) => n <= 50)).toBe(true);
    expect(validate.annotationBatches.reduce((a, b) => a + b, 0)).toBe(count);
    expect(validate.annotationBatches.length).toBe(Math.ceil(count / 50));
    expect(validate.annotations.filter((a) => a.title === 'invalid-field').map((a) => a.start_line)).toContain(
      lineOf(wide, 'c119,'),
    );
  });
});
