import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAegis } from '../helpers/run-aegis.js';

/** Seed 004 §1.2's permission matrix, copied as printed (top-level `permissions:`, `branch:create,read,update`). */
const DIR = fileURLToPath(new URL('./__fixtures__/seed-004-rbac', import.meta.url));
const POLICY = readFileSync(`${DIR}/.kiro/rbac.yaml`, 'utf8');
const can = (args: string[]) => runAegis(['can', ...args], DIR);
const lineOf = (needle: string): number => POLICY.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('aegis can with the seed 004 matrix as written (issue 16 items 11–12)', () => {
  it('grants what the matrix grants, by the GitHub-permission roles it names', async () => {
    const dev = await can(['octocat', 'branch:read', '--github-permission', 'write']);
    expect(dev).toMatchObject({ code: 0 });
    expect(dev.stdout).toContain(
      'allowed: octocat has developer (from GitHub "write" permission), which grants branch:read',
    );
    const create = await can(['octocat', 'proposal:create', '--github-permission', 'write']);
    expect(create.code).toBe(0);
    const merge = await can(['root', 'proposal:merge', '--github-permission', 'admin']);
    expect(merge.code).toBe(0);
    // The matrix gives developers no schema:write: a PR changing a schema is theirs to propose, not to write.
    const write = await can(['octocat', 'schema:write', '--github-permission', 'write']);
    expect(write.code).toBe(1);
  });

  it('explains each entry it cannot use, on its line, and grants none of them', async () => {
    const out = await can(['mona', 'proposal:read', '--github-permission', 'read']);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(
      'denied: mona has viewer (from GitHub "read" permission), which does not grant proposal:read',
    );
    const explained = out.stderr.split('\n').filter((l) => l.includes('rbac-meaningless-permission'));
    expect(explained).toEqual([
      expect.stringContaining(
        `rbac.yaml:${lineOf('branch:create,read,update')}:7: rbac-meaningless-permission: "branch:create" in role "developer" is not granted: branches are created with git push`,
      ),
      expect.stringContaining(
        `rbac.yaml:${lineOf('branch:create,read,update')}:7: rbac-meaningless-permission: "branch:update" in role "developer"`,
      ),
      expect.stringContaining(
        `rbac.yaml:${lineOf('proposal:create,read')}:7: rbac-meaningless-permission: "proposal:read" in role "developer"`,
      ),
      expect.stringContaining(
        `rbac.yaml:${POLICY.split('\n').lastIndexOf('    - proposal:read') + 1}:7: rbac-meaningless-permission: "proposal:read" in role "viewer"`,
      ),
    ]);
    expect(out.stderr).not.toContain('unknown field');
    expect(out.stderr).not.toContain('rbac-unknown-permission');
  });
});
