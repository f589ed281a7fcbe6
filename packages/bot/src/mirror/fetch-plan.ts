import { mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { mirrorHealth } from './mirror-health.js';
import type { MirrorGit } from './mirror-git.js';
import { findMergeBases, missingRegistryBlobs } from './registry-blobs.js';
import { PARTIAL_CLONE_CONFIG, shareFiles } from './shared-files.js';

/** Counters of what the mirror did, for benchmarks and tests. */
export interface FetchCounters {
  /** Syncs that fetched. */
  fetches: number;
  /** Extra round trips for registry blobs the mirror lacked. */
  blobFetches: number;
  /** Syncs whose narrow fetch failed and fell back to every branch and pull-request head. */
  fallbacks: number;
  /** Mirrors found damaged and rebuilt. */
  rebuilds: number;
  /** Extra round trips that deepened a shallow history to reach a merge base. */
  deepens: number;
  /** Mirrors rewritten without what no branch reaches (`prune-unreachable.ts`). */
  prunes: number;
}

/**
 * Commits fetched below each tip: history is fetched shallow, and deepened only as far as a merge base
 * needs (`DEEPEN_STEPS`, each doubling, then the whole history: two unrelated histories have none).
 */
export const FETCH_DEPTH = 50;
const DEEPEN_STEPS = [50, 100, 200, 400, 800, 1600];

/** What a decision reads: wanted commits and the branches (all when undefined). */
export interface FetchPlan {
  want: string[];
  branches: string[] | undefined;
}

/** Where a mirror is: its git directory, and the mirrors' root (where the files all mirrors share are kept). */
export interface MirrorPlace {
  dir: string;
  root: string;
}

/**
 * Makes the mirror ready to fetch into: creates it, rebuilds it when damaged, turns a mirror written before
 * blob-less fetching (full clone) into a partial clone, drops any pull-request refs (an older version kept them,
 * and a fallback that stopped half-way may leave some), and shares the files every mirror holds alike
 * (`shareFiles`: a mirror of the layout before is migrated in place).
 */
export async function prepareMirror(at: MirrorPlace, local: MirrorGit, counters: FetchCounters): Promise<void> {
  const health = await mirrorHealth(at.dir);
  if (health === 'damaged') await rebuild(at, local, counters);
  else if (health === 'missing') await create(at, local);
  else await shareFiles(at.dir, at.root);
  const partial = await local(['config', '--get', 'extensions.partialClone']).catch(() => '');
  if (partial.trim() !== 'origin') for (const [key, value] of PARTIAL_CLONE_CONFIG) await local(['config', key, value]);
  await dropPullRefs(local);
}

/** Deletes every `refs/pull/*` (the objects stay until a prune: `prune-unreachable.ts`). */
async function dropPullRefs(local: MirrorGit): Promise<void> {
  const pulls = await local(['for-each-ref', '--format=delete %(refname)', 'refs/pull/']);
  if (pulls.trim()) await local(['update-ref', '--stdin'], pulls);
}

async function create(at: MirrorPlace, local: MirrorGit): Promise<void> {
  await mkdir(at.dir, { recursive: true });
  // No template: a mirror needs none of the sample hooks and descriptions `git init` copies.
  await local(['init', '-q', '--bare', '--template=']);
  // Its config (the partial clone's settings) and HEAD: links to the copies every mirror shares.
  await shareFiles(at.dir, at.root, { fresh: true });
}

async function rebuild(at: MirrorPlace, local: MirrorGit, counters: FetchCounters): Promise<void> {
  counters.rebuilds += 1;
  await rm(at.dir, { recursive: true, force: true });
  await create(at, local);
}

const FETCH = [
  'fetch',
  '-q',
  '--prune',
  '--no-tags',
  '--no-write-fetch-head',
  '--filter=blob:none',
  `--depth=${FETCH_DEPTH}`,
  '--end-of-options',
  'origin',
];

/**
 * Fetches the plan's branches and commits, blob-less and `FETCH_DEPTH` commits deep, in one round trip. A mirror damaged on disk is
 * rebuilt and fetched again; a server that refuses to send a commit by id (or a branch that is gone) makes
 * the mirror fall back to every branch and pull-request head, still blob-less; the pull-request refs are
 * deleted right after (their commits stay for this sync's reads, and are dropped by a later prune).
 */
export async function fetchDecisionRefs(
  at: MirrorPlace,
  remote: MirrorGit,
  local: MirrorGit,
  plan: FetchPlan,
  counters: FetchCounters,
): Promise<void> {
  const heads = plan.branches
    ? plan.branches.map((b) => `+refs/heads/${b}:refs/heads/${b}`)
    : ['+refs/heads/*:refs/heads/*'];
  const missing = await missingCommits(local, plan.want);
  try {
    await remote([...FETCH, ...heads, ...missing]);
    return;
  } catch (error) {
    if ((await mirrorHealth(at.dir, { deep: true })) !== 'ok') {
      await rebuild(at, local, counters);
      await remote([...FETCH, ...heads, ...plan.want]);
      return;
    }
    if (missing.length === 0 && !plan.branches) throw error;
  }
  counters.fallbacks += 1;
  // Git refuses a glob refspec without a destination, so the heads land in refs/pull/ and are deleted at once.
  await remote([...FETCH, '+refs/heads/*:refs/heads/*', '+refs/pull/*/head:refs/pull/*/head']);
  await dropPullRefs(local);
}

/**
 * Deepens the shallow history of the plan's branches and commits until every wanted commit has its merge base
 * with every named branch (what a pull request's diff starts from), in steps that double, then unshallows:
 * a PR forked a few commits back costs nothing more, one forked long ago a few round trips. Returns the merge
 * bases found (the registry is read at them too).
 */
export async function deepenToMergeBases(
  remote: MirrorGit,
  local: MirrorGit,
  plan: FetchPlan,
  counters: FetchCounters,
): Promise<string[]> {
  // A branch that is gone (what made the sync fall back) has no merge base to find.
  const branches = await presentBranches(local, plan.branches ?? []);
  if (plan.want.length === 0 || branches.length === 0) return [];
  const refs = [...branches.map((b) => `+refs/heads/${b}:refs/heads/${b}`), ...plan.want];
  const deepen = ['fetch', '-q', '--no-tags', '--no-write-fetch-head', '--filter=blob:none'];
  for (const step of [...DEEPEN_STEPS, 0]) {
    const found = await findMergeBases(local, plan.want, branches);
    if (found.missing === 0) return found.bases;
    if ((await local(['rev-parse', '--is-shallow-repository'])).trim() !== 'true') return found.bases;
    counters.deepens += 1;
    const how = step > 0 ? `--deepen=${step}` : '--unshallow';
    await remote([...deepen, how, '--end-of-options', 'origin', ...refs]);
  }
  return (await findMergeBases(local, plan.want, branches)).bases;
}

/** The wanted commits the mirror does not have, found locally (`--missing=print` never fetches lazily). */
export async function missingCommits(local: MirrorGit, want: string[]): Promise<string[]> {
  if (want.length === 0) return [];
  const args = ['rev-list', '--no-walk', '--ignore-missing', '--missing=print', '--stdin'];
  const present = new Set((await local(args, want.join('\n') + '\n')).split('\n'));
  return want.filter((w) => !present.has(w.toLowerCase()));
}

/**
 * Fetches, in one round trip, the registry blobs the decision reads that the mirror lacks: at the branches'
 * heads, the wanted commits, and `bases` (the merge bases of each wanted commit with each named branch).
 */
export async function fetchRegistryBlobs(
  remote: MirrorGit,
  local: MirrorGit,
  plan: FetchPlan & { bases: readonly string[] },
  counters: FetchCounters,
): Promise<void> {
  const branches = plan.branches ?? (await allBranches(local));
  const absent = new Set(await missingCommits(local, plan.want));
  const want = plan.want.filter((w) => !absent.has(w));
  const commits = [...branches.map((b) => `refs/heads/${b}`), ...want, ...plan.bases];
  const blobs = await missingRegistryBlobs(local, commits);
  if (blobs.length === 0) return;
  counters.blobFetches += 1;
  // What git's own lazy fetch runs, for all the blobs at once: no negotiation, ids on stdin.
  await remote(
    [
      '-c',
      'fetch.negotiationAlgorithm=noop',
      'fetch',
      '-q',
      '--no-tags',
      '--no-write-fetch-head',
      '--recurse-submodules=no',
      '--filter=blob:none',
      '--stdin',
      '--end-of-options',
      'origin',
    ],
    blobs.join('\n') + '\n',
  );
}

async function presentBranches(local: MirrorGit, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const present = new Set((await allBranches(local)).values());
  return names.filter((b) => present.has(b));
}

async function allBranches(local: MirrorGit): Promise<string[]> {
  const out = await local(['for-each-ref', '--format=%(refname:lstrip=2)', 'refs/heads/']);
  return out.split('\n').filter((b) => b !== '');
}

/** Below this many bytes of packs a mirror is kept as one pack: its fixed cost is most of its disk. */
const SMALL_MIRROR = 1 << 20;

/**
 * Keeps a small mirror small on disk, where 4 KiB blocks per file and folder outweigh the registry: its packs
 * merged into one (a sync brings two: history, then registry blobs), refs packed into one file, and the folders
 * git made but does not need empty (`rmdir` removes only empty ones; git makes them again when it needs them).
 * Larger mirrors are left to `git gc --auto`.
 */
export async function compactSmallMirror(dir: string, local: MirrorGit): Promise<void> {
  const packDir = path.join(dir, 'objects', 'pack');
  const packs = (await readdir(packDir).catch(() => [])).filter((f) => f.endsWith('.pack'));
  const sizes = await Promise.all(packs.map((f) => stat(path.join(packDir, f)).then((s) => s.size)));
  if (packs.length > 1 && sizes.reduce((a, b) => a + b, 0) < SMALL_MIRROR)
    await local(['repack', '-a', '-d', '-q', '-n']);
  await local(['pack-refs', '--all', '--prune']);
  for (const empty of ['objects/info', 'refs/tags', 'refs/heads'])
    await rmdir(path.join(dir, empty)).catch(() => undefined);
}
