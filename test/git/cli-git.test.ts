import { mkdtemp, readFileSync, rm } from 'node:fs';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitRepo, git, type GitRepo } from '../helpers/git-repo.js';
import { runAegis } from '../helpers/run-aegis.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/migration/', import.meta.url));
const side = (name: 'base' | 'head'): Record<string, string> =>
  Object.fromEntries(
    readdirSync(fixtures + name).map((f) => [`.kiro/schemas/${f}`, readFileSync(`${fixtures}${name}/${f}`, 'utf8')]),
  );
/** A side without the fixtures' foreign-key cycles, which validation rejects (migrate refuses them). */
const acyclic = (name: 'base' | 'head'): Record<string, string> =>
  Object.fromEntries(Object.entries(side(name)).filter(([f]) => !/(legacy|node)_[ab]\.yaml$/.test(f)));
const tempDir = async (): Promise<string> => promisify(mkdtemp)(path.join(tmpdir(), 'aegis-cli-'));

interface JsonDiff {
  breaking: boolean;
  base: { commit?: string; versionHash?: string };
  schemas: {
    name: string;
    status: string;
    movedFrom?: string;
    changes: { kind: string; subject?: string; breaking: boolean }[];
  }[];
  diagnostics: { code: string; file: string; message: string }[];
}

describe('aegis diff / migrate / check in real git repositories', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const repoWith = async (files: Record<string, string | Uint8Array>): Promise<GitRepo> => {
    const repo = await createGitRepo({ files });
    cleanups.push(() => repo.cleanup());
    return repo;
  };

  it('classifies a feature branch case by case (json), across a file move and a merge', async () => {
    const repo = await repoWith(side('base'));
    await repo.branch('feature');
    await repo.commit('head schemas', side('head'));
    await repo.remove('.kiro/schemas/legacy_a.yaml', '.kiro/schemas/legacy_b.yaml');
    await repo.rename('.kiro/schemas/categories.yaml', '.kiro/schemas/catalog/categories.yaml');
    await repo.commit('drop legacy, move categories');
    await repo.checkout('main');
    await repo.commit('unrelated', { 'README.md': 'main moved on\n' });
    await repo.merge('feature');

    const result = await runAegis(['diff', 'main~1', 'main', '--format', 'json'], repo.dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const diff = JSON.parse(result.stdout) as JsonDiff;
    expect(diff.base.commit).toBe(await repo.sha('main~1'));
    expect(diff.base.versionHash).toBe(await git(repo.dir, 'rev-parse', 'main~1:.kiro/schemas'));
    const by = (name: string) => diff.schemas.find((s) => s.name === name);
    const kinds = (name: string) =>
      by(name)
        ?.changes.map((c) => `${c.breaking ? '!' : ''}${c.kind}:${c.subject ?? ''}`)
        .sort();
    expect(by('categories')).toBeUndefined(); // moved, not changed
    expect(by('legacy_a')?.status).toBe('removed');
    expect(kinds('users')).toEqual(
      [
        '!column-removed:legacy_code',
        '!column-renamed:display_name',
        '!column-type-changed:balance',
        'column-type-changed:email',
        'column-nullability-changed:status',
        'column-default-changed:status',
        'column-added:phone',
        'index-removed:idx_users_nick',
        'index-changed:idx_users_status',
      ].sort(),
    );
    expect(kinds('orders')).toEqual(
      [
        '!column-removed:note',
        'column-type-changed:total',
        'column-added:coupon_code',
        '!reference-changed:user_id',
        'reference-added:coupon_code',
        '!index-added:idx_orders_coupon',
      ].sort(),
    );
    expect(kinds('tags')).toEqual(['!column-unique-changed:id', '!primary-key-changed:']);
    expect(kinds('audit')).toEqual(['!reference-changed:user_id', 'column-nullability-changed:user_id'].sort());
    expect(diff.diagnostics.filter((d) => d.code === 'version-not-bumped')).toEqual([]);
    expect(diff.diagnostics.find((d) => d.message.includes('balance'))?.message).toContain(
      'Dependent services: audit-service, order-service',
    );
  });

  it('diffs the working tree by default and asks for a version bump', async () => {
    const repo = await repoWith(side('base'));
    await repo.write({
      '.kiro/schemas/audit.yaml': readFileSync(`${fixtures}base/audit.yaml`, 'utf8').replace(
        'nullable: false }\nreferences',
        'nullable: true }\nreferences',
      ),
    });
    const text = await runAegis(['diff', 'HEAD'], repo.dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('aegis diff HEAD → working tree');
    expect(text.stdout).toContain('ok        column user_id became nullable');
    expect(text.stdout).toMatch(
      /version: audit changed \(1 change\) but its version stayed 1\.0\.0: bump it\. \(\.kiro\/schemas\/audit\.yaml:3\)/,
    );
    const same = await runAegis(['diff', 'HEAD', 'HEAD'], repo.dir);
    expect([same.code, same.stdout.trim().split('\n').pop()]).toEqual([0, 'No schema changes.']);
  });

  it('renders markdown with a Mermaid ERD that marks what was added and removed', async () => {
    const repo = await repoWith(side('base'));
    await repo.commit('head', side('head'));
    const md = await runAegis(['diff', 'HEAD~1', 'HEAD', '--format', 'markdown'], repo.dir);
    expect(md.stdout).toContain(
      '| `users` | user-service | 1.0.0 → 2.0.0 | column nickname was renamed to display_name',
    );
    const erd = md.stdout.split('```mermaid\n')[1]?.split('```')[0] ?? '';
    expect(erd).toContain('coupons["coupons (added)"]:::added {');
    expect(erd).toContain('TEXT note "- removed"');
    expect(erd).toContain('VARCHAR phone UK "+ added; VARCHAR(30)"');
  });

  it('migrate: create from empty at one ref, the change between two, refusing invalid registries', async () => {
    const repo = await repoWith(acyclic('base'));
    await repo.commit('head', acyclic('head'));
    const create = await runAegis(['migrate', 'HEAD~1', '--dialect', 'postgres'], repo.dir);
    expect(create.code).toBe(0);
    expect(create.stdout).toMatch(/^-- aegis migrate empty → HEAD~1 \(postgres\): \d+ statements, 0 destructive/);
    expect(create.stdout.indexOf('CREATE TABLE users')).toBeLessThan(create.stdout.indexOf('CREATE TABLE orders'));
    const change = await runAegis(['migrate', 'HEAD~1', 'HEAD', '--format', 'json'], repo.dir);
    const steps = (
      JSON.parse(change.stdout) as {
        steps: { schema: string; owner: string; sql: string; destructive: boolean; transactional: boolean }[];
      }
    ).steps;
    expect(steps.find((s) => s.sql === 'ALTER TABLE users DROP COLUMN legacy_code;')).toMatchObject({
      destructive: true,
      owner: 'user-service',
    });
    expect(
      steps.find((s) => s.sql.startsWith('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_coupon')),
    ).toMatchObject({
      transactional: false,
      schema: 'orders',
    });
    expect((await runAegis(['migrate', 'HEAD', '--dialect', 'mysql'], repo.dir)).code).toBe(2);
    // The base fixture has a foreign-key cycle (legacy_a ↔ legacy_b): a validation error, so no SQL.
    await repo.commit('cycle back', side('base'));
    const refused = await runAegis(['migrate', 'HEAD'], repo.dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cycle');
    expect(refused.stdout).toBe('');
  });

  it('check: validation plus the diff against the merge base, as GitHub annotations', async () => {
    const repo = await repoWith(side('head'));
    await repo.branch('feature');
    const users = readFileSync(`${fixtures}head/users.yaml`, 'utf8');
    await repo.commit('narrow email', { '.kiro/schemas/users.yaml': users.replace('VARCHAR(320)', 'VARCHAR(100)') });
    await repo.checkout('main');
    await repo.commit('main changes orders meanwhile', {
      '.kiro/schemas/orders.yaml': readFileSync(`${fixtures}head/orders.yaml`, 'utf8')
        .replace('version: 2.0.0', 'version: 2.1.0')
        .replace('references:', '  - { name: memo, type: TEXT, nullable: true }\nreferences:'),
    });
    await repo.checkout('feature');

    const github = await runAegis(['check', '--base', 'main', '--format', 'github'], repo.dir);
    expect(github.code).toBe(1);
    const annotations = github.stdout.trim().split('\n');
    const line = users.split('\n').findIndex((l) => l.includes('VARCHAR(320)')) + 1;
    expect(annotations.filter((a) => a.includes('aegis breaking-change'))).toEqual([
      expect.stringMatching(
        new RegExp(`^::error file=\\.kiro/schemas/users\\.yaml,line=${line},.*VARCHAR\\(320\\) → VARCHAR\\(100\\)`),
      ),
    ]);
    expect(annotations.some((a) => a.includes('version-not-bumped') && a.includes('users'))).toBe(true);
    expect(github.stdout).not.toContain('orders'); // main's own change is not this branch's
    const json = JSON.parse((await runAegis(['check', '--base', 'main', '--format', 'json'], repo.dir)).stdout) as {
      summary: { errors: number };
    };
    expect(json.summary.errors).toBeGreaterThanOrEqual(2);
    expect(annotations.at(-1)).toMatch(
      /^::notice title=aegis check::diff against main \([0-9a-f]{12}\): 1 schema changed/,
    );
    const direct = JSON.parse((await runAegis(['diff', 'main', '--format', 'json'], repo.dir)).stdout) as JsonDiff;
    const forked = JSON.parse(
      (await runAegis(['diff', 'main', '--merge-base', '--format', 'json'], repo.dir)).stdout,
    ) as JsonDiff;
    expect(direct.schemas.map((s) => s.name)).toEqual(['orders', 'users']);
    expect(forked.schemas.map((s) => s.name)).toEqual(['users']);
    const clean = await runAegis(['check', '--base', 'feature'], repo.dir);
    expect(clean.stdout).toContain('diff against feature');
  });

  it('says what is wrong and exits 2: bad ref, no .kiro/schemas, not a repository, shallow clone, unreadable files', async () => {
    const repo = await repoWith({ 'README.md': 'no registry here\n' });
    const expectUsage = async (args: string[], cwd: string, pattern: RegExp) => {
      const r = await runAegis(args, cwd);
      expect({ code: r.code, stderr: r.stderr }).toEqual({
        code: 2,
        stderr: expect.stringMatching(pattern) as unknown,
      });
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };
    await expectUsage(['diff', 'nope', 'HEAD'], repo.dir, /nope: no such branch, tag or commit/);
    await expectUsage(['migrate', 'HEAD'], repo.dir, /HEAD: no \.kiro\/schemas folder at this commit/);
    await expectUsage(['check', '--base', 'HEAD'], repo.dir, /\.kiro\/schemas: no such folder/);
    const plain = await tempDir();
    cleanups.push(async () => promisify(rm)(plain, { recursive: true, force: true }));
    await expectUsage(['diff', 'HEAD'], plain, /not a git repository/);

    const full = await repoWith(side('head'));
    const old = await full.sha();
    await full.commit('two', {
      '.kiro/schemas/users.yaml': readFileSync(`${fixtures}head/users.yaml`, 'utf8') + '# touched\n',
    });
    const shallow = await tempDir();
    cleanups.push(async () => promisify(rm)(shallow, { recursive: true, force: true }));
    await git(shallow, 'clone', '-q', '--depth', '1', `file://${full.dir}`, '.');
    await expectUsage(['diff', old, 'HEAD'], shallow, /shallow clone.*fetch-depth: 0/);

    await full.commit('binary and huge', {
      '.kiro/schemas/blob.yaml': new Uint8Array([0xff, 0xfe, 0, 1]),
      '.kiro/schemas/huge.yaml': `# ${'x'.repeat(11 * 1024 * 1024)}\n`,
    });
    await expectUsage(
      ['diff', 'HEAD~1', 'HEAD'],
      full.dir,
      /\.kiro\/schemas\/(blob|huge)\.yaml at HEAD cannot be read/,
    );
    const check = await runAegis(['check', '--base', 'HEAD~1', '--ref', 'HEAD', '--format', 'json'], full.dir);
    expect(check.code).toBe(1);
    const codes = (JSON.parse(check.stdout) as { diagnostics: { code: string; file: string }[] }).diagnostics.map(
      (d) => `${d.file} ${d.code}`,
    );
    expect(codes).toContain('.kiro/schemas/huge.yaml yaml-limit');
    expect(codes.some((c) => c.startsWith('.kiro/schemas/blob.yaml'))).toBe(true);
  });
});
