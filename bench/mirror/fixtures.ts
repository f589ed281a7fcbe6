/** Repositories for bench/mirror: a registry alone, and the same registry inside a large monorepo. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
};

export const git = (cwd: string, args: string[], input?: string): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: ENV, input });

const name = (i: number): string => `t_${String(i).padStart(5, '0')}`;

/** One schema of a generated registry (a tree of tables, each referencing its parent). */
export function schemaText(i: number, version = '1.0.0', note = ''): string {
  const lines = [`name: ${name(i)}`, `owner: service-${i % 50}`, `version: ${version}`];
  lines.push(`description: Generated table ${i}${note}`, 'columns:');
  lines.push('  - { name: id, type: UUID, nullable: false, primary_key: true }');
  lines.push('  - { name: title, type: VARCHAR(200), nullable: false }');
  if (i > 0) {
    lines.push('  - { name: parent_id, type: UUID, nullable: false }', 'references:');
    lines.push(
      `  - { schema: ${name(Math.floor((i - 1) / 2))}, column: id, foreign_key: parent_id, on_delete: CASCADE }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const RBAC = `roles:
  admin: { permissions: ["*"] }
  developer: { permissions: [schema:read, schema:write, schema:create, branch:lock, branch:unlock] }
members:
  "@bench/platform": [admin]
  "@bench/devs": [developer]
owners:
  service-1: ["@bench/devs"]
`;

export interface BenchRepo {
  dir: string;
  /** Bytes of the registry's files (`.kiro/**`) as they are on disk in a checkout. */
  registryBytes: number;
}

/**
 * A repository with `schemas` schema files; `bigMb` MiB of incompressible files beside them (in 10 MiB files
 * over two commits) and `pulls` pull-request refs when asked. Served the way GitHub serves (blob-less
 * fetches, objects by id).
 */
export function makeRepo(schemas: number, opts: { bigMb?: number; pulls?: number; tag?: string } = {}): BenchRepo {
  const dir = mkdtempSync(path.join(tmpdir(), 'aegis-bench-mirror-'));
  git(dir, ['init', '-q', '-b', 'main']);
  for (const [k, v] of [
    ['uploadpack.allowFilter', 'true'],
    ['uploadpack.allowAnySHA1InWant', 'true'],
    ['core.compression', '0'],
  ])
    git(dir, ['config', k!, v!]);
  mkdirSync(path.join(dir, '.kiro', 'schemas'), { recursive: true });
  writeFileSync(path.join(dir, '.kiro', 'rbac.yaml'), RBAC);
  const note = opts.tag ? ` (${opts.tag})` : '';
  for (let i = 0; i < schemas; i++)
    writeFileSync(path.join(dir, '.kiro', 'schemas', `${name(i)}.yaml`), schemaText(i, '1.0.0', note));
  const bigFiles = Math.ceil((opts.bigMb ?? 0) / 10);
  for (let f = 0; f < bigFiles; f++) {
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'assets', `blob-${f}.bin`), randomBytes(10 * 1024 * 1024));
    if (f === Math.floor(bigFiles / 2)) {
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', 'assets, first half']);
    }
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'registry']);
  if (opts.pulls) addPullRefs(dir, opts.pulls);
  return { dir, registryBytes: bytesUnder(path.join(dir, '.kiro')) };
}

/** `count` refs/pull/N/head, each a commit on main adding its own small file (fast-import: one process). */
function addPullRefs(dir: string, count: number): void {
  const main = git(dir, ['rev-parse', 'main']).trim();
  const parts: string[] = [];
  for (let n = 1; n <= count; n++) {
    const msg = `pr ${n}`;
    const body = `change ${n} ${randomBytes(8).toString('hex')}\n`;
    parts.push(`commit refs/pull/${n}/head`, `committer b <b@b> ${1_700_000_000 + n} +0000`);
    parts.push(`data ${Buffer.byteLength(msg)}`, msg, `from ${main}`);
    parts.push(`M 100644 inline pulls/${n}.txt`, `data ${Buffer.byteLength(body)}`, body);
  }
  git(dir, ['fast-import', '--quiet'], parts.join('\n') + '\n');
}

const edits = new Map<string, number>();

/** Edits schema 1 once more on a branch `feature` off main (a new PR head); returns the new head. */
export function pushEdit(dir: string): string {
  const edit = edits.get(dir) ?? 0;
  edits.set(dir, edit + 1);
  const branches = git(dir, ['branch', '--list', 'feature']).trim();
  git(dir, ['checkout', '-q', ...(branches ? [] : ['-b']), 'feature']);
  writeFileSync(
    path.join(dir, '.kiro', 'schemas', `${name(1)}.yaml`),
    schemaText(1, `1.0.${edit + 1}`, ` edit ${edit}`),
  );
  git(dir, ['commit', '-q', '-am', `edit ${edit}`]);
  const head = git(dir, ['rev-parse', 'HEAD']).trim();
  git(dir, ['checkout', '-q', 'main']);
  return head;
}

/** Bytes of the files under `dir` (their length, as a checkout has them). */
export function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(p) : statSync(p).size;
  }
  return total;
}

/** Disk used by a directory tree (allocated blocks, as `du` reports). */
export function diskUsage(dir: string): number {
  return Number(execFileSync('du', ['-s', '-B1', dir], { encoding: 'utf8' }).split('\t')[0]);
}
