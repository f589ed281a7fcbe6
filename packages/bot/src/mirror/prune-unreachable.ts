import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { missingCommits } from './fetch-plan.js';
import type { MirrorGit } from './mirror-git.js';

/**
 * A mirror is pruned when its packs pass this multiple of their size after its last prune (or of
 * `PRUNE_FLOOR_BYTES`, whichever is larger), and on its first sync after a start.
 */
export const PRUNE_GROWTH = 2;
/** Below this many bytes of packs a mirror is never pruned for growth: 8 blocks of 4 KiB. */
export const PRUNE_FLOOR_BYTES = 32 * 1024;
/** How long a prune keeps the commits a sync brought without a ref (a check may still be reading them). */
export const KEEP_SYNCED_MS = 60_000;

/**
 * Drops from the mirrors what no branch reaches: a closed (or force-pushed) pull request's commits, trees and
 * registry blobs, and a fallback's pull-request heads. Git cannot do it: a partial clone's fetched packs are
 * promisor packs, which `git gc` / `git repack` keep whole however little is reachable. So a prune writes one
 * new promisor pack of what the branches reach plus the commits synced in the last `keepMs` (and the current
 * sync's), then deletes the other packs. Runs inside the repository's fetch queue, so never beside a fetch.
 */
export class MirrorPruner {
  /** Per mirror, pack bytes right after its last prune (none yet since this process started: prune). */
  private readonly after = new Map<string, number>();
  /** Per mirror, commits syncs named and when. */
  private readonly synced = new Map<string, Map<string, number>>();

  constructor(private readonly keepMs = KEEP_SYNCED_MS) {}

  /** Records the commits a sync named (kept by prunes for `keepMs`). */
  note(dir: string, wants: readonly string[]): void {
    const seen = this.synced.get(dir) ?? new Map<string, number>();
    const now = Date.now();
    for (const [sha, at] of seen) if (now - at > this.keepMs) seen.delete(sha);
    for (const sha of wants) seen.set(sha.toLowerCase(), now);
    this.synced.set(dir, seen);
  }

  /** Prunes the mirror when due; true when it did. */
  async pruneIfDue(dir: string, local: MirrorGit): Promise<boolean> {
    const bytes = await packBytes(dir);
    const last = this.after.get(dir);
    if (last !== undefined && bytes <= PRUNE_GROWTH * Math.max(last, PRUNE_FLOOR_BYTES)) return false;
    const keep = [...(this.synced.get(dir)?.keys() ?? [])];
    await pruneUnreachable(dir, local, keep).finally(async () => this.after.set(dir, await packBytes(dir)));
    return true;
  }
}

/** Bytes of a mirror's packs. */
export async function packBytes(dir: string): Promise<number> {
  const packDir = path.join(dir, 'objects', 'pack');
  const packs = (await readdir(packDir).catch(() => [])).filter((f) => f.endsWith('.pack'));
  const sizes = await Promise.all(
    packs.map((f) =>
      stat(path.join(packDir, f)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * Rewrites the mirror's packs as one promisor pack of what its refs and `keep` (commits, present or not)
 * reach, then deletes the others, the commit-graph (it may name dropped commits; `git gc --auto` writes it
 * again) and unreachable loose objects and shallow entries (`git prune`). The new pack is in place before any
 * old one goes, so a reader never misses an object that is kept.
 */
export async function pruneUnreachable(dir: string, local: MirrorGit, keep: readonly string[]): Promise<void> {
  const absent = new Set(await missingCommits(local, [...keep]));
  const present = keep.filter((sha) => !absent.has(sha));
  const refs = await local(['for-each-ref', '--count=1', '--format=%(refname)']);
  if (present.length === 0 && refs.trim() === '') return;
  const packDir = path.join(dir, 'objects', 'pack');
  const before = (await readdir(packDir)).filter((f) => /^pack-[0-9a-f]+\.pack$/.test(f));
  const args = ['pack-objects', '--revs', '--all', '--missing=allow-any', '-q', '--delta-base-offset'];
  const id = (await local([...args, path.join(packDir, 'pack')], present.join('\n') + '\n')).trim();
  if (!/^[0-9a-f]+$/.test(id)) throw new Error(`git pack-objects printed no pack id: ${id.slice(0, 80)}`);
  await writeFile(path.join(packDir, `pack-${id}.promisor`), '');
  for (const pack of before.filter((f) => f !== `pack-${id}.pack`)) {
    const base = path.join(packDir, pack.slice(0, -'.pack'.length));
    for (const ext of ['.pack', '.rev', '.bitmap', '.promisor', '.keep', '.idx']) await rm(base + ext, { force: true });
  }
  await rm(path.join(dir, 'objects', 'info', 'commit-graph'), { force: true });
  await rm(path.join(dir, 'objects', 'info', 'commit-graphs'), { recursive: true, force: true });
  await local(['prune', '--expire=now']);
}
