/**
 * bench/mirror, part 4 (disk): closed pull requests. One 50-schema repository with `pulls` PRs, each adding a
 * schema of its own (a registry blob no branch reaches once it is closed); each PR synced once (its event),
 * then the mirror restarted and synced for the default branch. Reports the mirror's disk and packs at the peak
 * and after, the prunes, and how many closed PRs' blobs remain (docs/benchmarks-mirror.md, section 4).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RepoMirror } from '@aegis/bot';
import { diskUsage, git, makeRepo, schemaText } from './fixtures.js';

/** `count` refs/pull/N/head on main, each adding `.kiro/schemas/pr-N.yaml` (fast-import: one process). */
function addRegistryPulls(dir: string, count: number): string[] {
  const main = git(dir, ['rev-parse', 'main']).trim();
  const parts: string[] = [];
  for (let n = 1; n <= count; n++) {
    const msg = `pr ${n}`;
    const body = schemaText(10_000 + n, '1.0.0', ` (pr ${n})`);
    parts.push(`commit refs/pull/${n}/head`, `committer b <b@b> ${1_700_000_000 + n} +0000`);
    parts.push(`data ${Buffer.byteLength(msg)}`, msg, `from ${main}`);
    parts.push(`M 100644 inline .kiro/schemas/pr-${n}.yaml`, `data ${Buffer.byteLength(body)}`, body);
  }
  git(dir, ['fast-import', '--quiet'], parts.join('\n') + '\n');
  return Array.from({ length: count }, (_, i) => git(dir, ['rev-parse', `refs/pull/${i + 1}/head`]).trim());
}

const has = (dir: string, rev: string): boolean => {
  try {
    execFileSync('git', ['-C', dir, 'cat-file', '-e', rev], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const packBytes = (dir: string): number =>
  Number(/size-pack: (\d+)/.exec(git(dir, ['count-objects', '-v']))?.[1] ?? NaN) * 1024;

/** Prints the closed-PR rows of section 4. */
export async function closedPullsCost(pulls: number): Promise<void> {
  const repo = makeRepo(50, { tag: 'closed prs' });
  const heads = addRegistryPulls(repo.dir, pulls);
  const root = mkdtempSync(path.join(tmpdir(), 'aegis-bench-closed-'));
  // PRs come over hours, not within the minute a prune keeps what was just synced: keepSyncedMs 0 stands for that.
  const options = { dir: root, urlTemplate: repo.dir, keepSyncedMs: 0 };
  const mirror = new RepoMirror(options);
  const dir = mirror.gitDir('bench/closed');
  let peakPacks = 0;
  let peakDisk = 0;
  const t0 = performance.now();
  for (const head of heads) {
    await mirror.sync('bench/closed', 'tok', { want: [head], branches: ['main'] });
    peakPacks = Math.max(peakPacks, packBytes(dir));
    peakDisk = Math.max(peakDisk, diskUsage(dir));
  }
  const perSync = (performance.now() - t0) / pulls;
  const kept = heads.filter((h, i) => has(dir, `${h}:.kiro/schemas/pr-${i + 1}.yaml`)).length;
  const restarted = new RepoMirror(options);
  await restarted.sync('bench/closed', 'tok', { branches: ['main'] });
  const left = heads.filter((h, i) => has(dir, `${h}:.kiro/schemas/pr-${i + 1}.yaml`)).length;
  const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  console.log(`\n${pulls} PRs of one 50-schema repository, each adding a schema, synced once each, then closed:\n`);
  console.log('| measure | value |');
  console.log('| --- | --- |');
  console.log(`| prunes during the ${pulls} syncs (the first is the start's) | ${mirror.counters.prunes} |`);
  console.log(`| packs at their largest / disk at its largest (du) | ${kib(peakPacks)} / ${kib(peakDisk)} |`);
  console.log(`| closed PRs' registry blobs still in the mirror after the last PR sync | ${kept} of ${pulls} |`);
  console.log(
    `| … after a restart and one sync of main (prunes: ${restarted.counters.prunes}) | ${left} of ${pulls} |`,
  );
  console.log(`| packs / disk after it | ${kib(packBytes(dir))} / ${kib(diskUsage(dir))} |`);
  console.log(`| mean time of a PR sync, prunes included | ${perSync.toFixed(0)} ms |`);
  for (const d of [root, repo.dir]) rmSync(d, { recursive: true, force: true });
}
