import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitRepo } from '../helpers/git-repo.js';
import { runAegis } from '../helpers/run-aegis.js';
import { tempDir } from '../helpers/temp-dir.js';

const EXAMPLE = fileURLToPath(new URL('../../.kiro/schemas', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** A repository-like folder holding a copy of the example registry, plus overrides. */
async function workspace(overrides: Record<string, string> = {}): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  await cp(EXAMPLE, path.join(dir, '.kiro/schemas'), { recursive: true });
  const { dir: extra, cleanup: c2 } = await tempDir(overrides);
  cleanups.push(c2);
  await cp(extra, dir, { recursive: true });
  return dir;
}

const BROKEN_POLICY = `name: policies
owner: policy-service
version: 1.0.0
columns:
  - name: id
    type: UUID
    primary_key: true
  - name: created_by
    type: UUID
references:
  - schema: user
    column: id
    foreign_key: created_by
`;

describe('aegis validate', () => {
  it('passes the bundled example registry with exit 0', async () => {
    const cwd = await workspace();
    const result = await runAegis(['validate'], cwd);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/4 schemas in 5 files: 0 errors, 0 warnings/);
    expect(result.code).toBe(0);
  });

  it('reports an unknown schema with file, line, column and a did-you-mean, exit 1, uncoloured when piped', async () => {
    const cwd = await workspace({ '.kiro/schemas/policies.yaml': BROKEN_POLICY });
    const result = await runAegis(['validate'], cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('.kiro/schemas/policies.yaml:11:13 error unknown-schema');
    expect(result.stdout).toMatch(/did you mean "users"/i);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('prints JSON with 0-based LSP ranges and a summary', async () => {
    const cwd = await workspace({ '.kiro/schemas/policies.yaml': BROKEN_POLICY });
    const result = await runAegis(['validate', '--format', 'json'], cwd);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      diagnostics: {
        file: string;
        code: string;
        severity: string;
        range: { start: { line: number; character: number } };
      }[];
      summary: { errors: number; schemas: number };
    };
    const unknown = report.diagnostics.find((d) => d.code === 'unknown-schema');
    expect(unknown).toMatchObject({
      file: '.kiro/schemas/policies.yaml',
      severity: 'error',
      range: { start: { line: 10, character: 12 } },
    });
    expect(report.summary.errors).toBeGreaterThanOrEqual(1);
    expect(report.summary.schemas).toBe(4);
  });

  it('prints GitHub workflow annotations with 1-based positions', async () => {
    const cwd = await workspace({ '.kiro/schemas/policies.yaml': BROKEN_POLICY });
    const result = await runAegis(['validate', '--format', 'github'], cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error file=\.kiro\/schemas\/policies\.yaml,line=11,col=13,endLine=11,endColumn=17,title=aegis unknown-schema::/m,
    );
  });

  it('gives a registry saved with CRLF line breaks the same output as the LF one', async () => {
    const lf = await workspace({ '.kiro/schemas/policies.yaml': BROKEN_POLICY });
    const crlf = await workspace({ '.kiro/schemas/policies.yaml': BROKEN_POLICY });
    const schemas = path.join(crlf, '.kiro/schemas');
    for (const name of await readdir(schemas)) {
      const text = await readFile(path.join(schemas, name), 'utf8');
      await writeFile(path.join(schemas, name), text.replace(/\r?\n/g, '\r\n'));
    }
    expect(await readFile(path.join(schemas, 'users.yaml'), 'utf8')).toContain('\r\n');
    for (const args of [['validate'], ['validate', '--format', 'json'], ['validate', '--format', 'github'], ['erd']]) {
      const expected = await runAegis(args, lf);
      expect(expected.stdout, args.join(' ')).not.toBe('');
      expect(await runAegis(args, crlf), args.join(' ')).toEqual(expected);
    }
  });

  it('answers a missing folder, an empty folder and a bad option with one line and exit 2', async () => {
    const { dir, cleanup } = await tempDir({ 'empty/README.md': 'nothing here' });
    cleanups.push(cleanup);
    const missing = await runAegis(['validate'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^aegis validate: \.kiro\/schemas: no such folder\. .+\n$/);
    const empty = await runAegis(['validate', 'empty'], dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/empty: no schema files/);
    const badFormat = await runAegis(['validate', '--format', 'xml'], dir);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/unknown --format xml: use one of text, json, github/);
    const unknownCommand = await runAegis(['valdate'], dir);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command "valdate"/);
  });
});

describe('aegis erd, docs, order, deps', () => {
  it('writes the ER diagram of the registry to a file', async () => {
    const cwd = await workspace();
    const result = await runAegis(['erd', '--out', 'out/erd.mmd'], cwd);
    expect(result.code).toBe(0);
    const erd = await readFile(path.join(cwd, 'out/erd.mmd'), 'utf8');
    expect(erd).toMatch(/^erDiagram/m);
    for (const table of ['users', 'policies', 'applications', 'audit_logs']) expect(erd).toContain(table);
  });

  it('draws one schema and its neighbours with --focus, and refuses an unknown one with a suggestion', async () => {
    const cwd = await workspace();
    const focused = await runAegis(['erd', '--focus', 'policies', '--depth', '1'], cwd);
    expect(focused.code).toBe(0);
    expect(focused.stdout).toContain('policies');
    expect(focused.stdout).not.toMatch(/audit_logs/);
    const typo = await runAegis(['erd', '--focus', 'polices'], cwd);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('aegis erd: no schema named "polices": did you mean "policies"?\n');
    const unknown = await runAegis(['erd', '--focus', 'invoices'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('aegis erd: no schema named "invoices": run aegis order to list the schemas.\n');
  });

  it('orders referenced tables first', async () => {
    const cwd = await workspace();
    const result = await runAegis(['order', '--format', 'json'], cwd);
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.stdout) as { order: { name: string }[] }).order.map((s) => s.name);
    expect(names[0]).toBe('users');
    expect(names.indexOf('policies')).toBeLessThan(names.indexOf('applications'));
    expect(names).toHaveLength(4);
  });

  it('lists who depends on users, with owner services', async () => {
    const cwd = await workspace();
    const result = await runAegis(['deps', 'users', '--format', 'json'], cwd);
    expect(result.code).toBe(0);
    const deps = JSON.parse(result.stdout) as { schemas: { name: string; direct: boolean }[]; services: string[] };
    expect(deps.schemas.map((s) => s.name).sort()).toEqual(['applications', 'audit_logs', 'policies']);
    expect(deps.services.sort()).toEqual(['application-service', 'audit-service', 'policy-service']);
  });

  it('writes Markdown docs naming every table', async () => {
    const cwd = await workspace();
    const result = await runAegis(['docs'], cwd);
    expect(result.code).toBe(0);
    for (const table of ['users', 'policies', 'applications', 'audit_logs']) expect(result.stdout).toContain(table);
  });
});

describe('aegis validate --ref', () => {
  it('validates the registry as committed at a ref, not the working tree, and refuses a bad ref with exit 2', async () => {
    const repo = await createGitRepo();
    cleanups.push(() => repo.cleanup());
    const users = await readFile(path.join(EXAMPLE, 'users.yaml'), 'utf8');
    await repo.commit('users', { '.kiro/schemas/users.yaml': users });
    const good = await repo.sha();
    await repo.commit('broken policy', { '.kiro/schemas/policies.yaml': BROKEN_POLICY });
    // The working tree is fixed again, but HEAD keeps the broken file.
    await repo.remove('.kiro/schemas/policies.yaml');

    const atHead = await runAegis(['validate', '--ref', 'HEAD', '--format', 'json'], repo.dir);
    expect(atHead.code).toBe(1);
    const codes = (JSON.parse(atHead.stdout) as { diagnostics: { code: string; file: string }[] }).diagnostics.map(
      (d) => `${d.file} ${d.code}`,
    );
    expect(codes).toContain('.kiro/schemas/policies.yaml unknown-schema');

    const atGood = await runAegis(['validate', '--ref', good], repo.dir);
    expect(atGood.code).toBe(0);
    expect(atGood.stdout).toMatch(/1 schema in 1 file: 0 errors/);

    const bad = await runAegis(['validate', '--ref', 'no-such-branch'], repo.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^aegis validate: .*no-such-branch.*\n$/);
  });
});
