import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRbacPolicy, schemaFileJsonSchema } from '@aegis/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';
import { runAegis } from '../helpers/run-aegis.js';
import { tempDir } from '../helpers/temp-dir.js';

const repos: GitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

async function freshRepo(): Promise<GitRepo> {
  const repo = await createGitRepo();
  repos.push(repo);
  return repo;
}

const read = (repo: GitRepo, file: string): Promise<string> => readFile(path.join(repo.dir, file), 'utf8');

/** `{ path: outcome }` from init's report lines (`wrote     .kiro/rbac.yaml  roles…`). */
function outcomes(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stdout.matchAll(/^(wrote|overwrote|unchanged|kept)\s+(\S+)/gm)) out[m[2] ?? ''] = m[1] ?? '';
  return out;
}

describe('aegis init', () => {
  it('scaffolds a registry that validates, a valid policy, the workflow and the editor settings', async () => {
    const repo = await freshRepo();
    const first = await runAegis(['init'], repo.dir);
    expect(first.code).toBe(0);
    const wrote = outcomes(first.stdout);
    expect(Object.keys(wrote)).toHaveLength(8);
    expect(new Set(Object.values(wrote))).toEqual(new Set(['wrote']));

    const validate = await runAegis(['validate'], repo.dir);
    expect(validate.stdout).toContain('1 schema in 2 files: 0 errors, 0 warnings');
    expect(validate.code).toBe(0);
    const rbac = parseRbacPolicy('.kiro/rbac.yaml', await read(repo, '.kiro/rbac.yaml'));
    expect(rbac.diagnostics).toEqual([]);
    expect([...rbac.policy.roles.keys()].sort()).toEqual(['admin', 'developer', 'indexer', 'viewer']);

    const workflow = parse(await read(repo, '.github/workflows/aegis.yml')) as {
      jobs: { check: { steps: { uses?: string; with?: Record<string, unknown> }[] } };
    };
    const step = workflow.jobs.check.steps.find((s) => s.uses?.startsWith('aegis-schema-registry/aegis@'));
    expect(step?.with).toMatchObject({ registry: '.kiro/schemas', 'fail-on': 'error' });

    // The editor gets the Aegis extension, which reports structure itself: no yaml.schemas association, which
    // would make Red Hat's YAML extension report each structural error a second time.
    expect(JSON.parse(await read(repo, '.vscode/settings.json'))).toEqual({ 'aegis.schemaFolder': '.kiro/schemas' });
    expect(JSON.parse(await read(repo, '.vscode/extensions.json'))).toEqual({
      recommendations: ['aegis.aegis-schema-registry'],
    });
    expect(JSON.parse(await read(repo, '.kiro/json-schema/schema-file.json'))).toEqual(schemaFileJsonSchema);
  });

  it('runs again without touching anything, keeps a changed file, and overwrites it only with --force', async () => {
    const repo = await freshRepo();
    await runAegis(['init'], repo.dir);
    const rbacFile = path.join(repo.dir, '.kiro/rbac.yaml');
    const mtime = (await stat(rbacFile)).mtimeMs;

    const again = await runAegis(['init'], path.join(repo.dir, '.kiro'));
    expect(new Set(Object.values(outcomes(again.stdout)))).toEqual(new Set(['unchanged']));
    expect((await stat(rbacFile)).mtimeMs).toBe(mtime);

    await writeFile(rbacFile, 'roles: {}\n');
    const kept = await runAegis(['init'], repo.dir);
    expect(outcomes(kept.stdout)['.kiro/rbac.yaml']).toBe('kept');
    expect(kept.stdout).toContain('aegis init --force overwrites them');
    expect(await read(repo, '.kiro/rbac.yaml')).toBe('roles: {}\n');

    const forced = await runAegis(['init', '--force'], repo.dir);
    expect(outcomes(forced.stdout)).toMatchObject({
      '.kiro/rbac.yaml': 'overwrote',
      '.kiro/schemas/accounts.yaml': 'unchanged',
    });
    expect(await read(repo, '.kiro/rbac.yaml')).toContain('roles:\n  # Runs the registry');
  });

  it('refuses to run outside a git repository, writing nothing', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const result = await runAegis(['init'], dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('not inside a git repository: run git init first');
      await expect(stat(path.join(dir, '.kiro'))).rejects.toThrow();
    } finally {
      await cleanup();
    }
  });
});
