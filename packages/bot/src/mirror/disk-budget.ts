import { lstat, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The file whose modification time says when a mirror was last used (survives restarts). */
const LAST_USED = 'aegis-last-used';

/** A mirror used this recently is never evicted: a check may still be reading it. */
const GRACE_MS = 60_000;

/**
 * Keeps the mirrors under `root` (`<root>/<owner>/<repo>.git`) within `maxBytes`, evicting the least
 * recently used first. Sizes are measured once per mirror and again after each of its fetches, so a sync
 * costs one walk of its own mirror, not of all of them. A restart finds the mirrors and their last use on disk.
 */
export class DiskBudget {
  private readonly sizes = new Map<string, number>();
  private scanned = false;
  /** Mirrors deleted to stay within the budget (benchmarks and tests read it). */
  evictions = 0;

  constructor(
    private readonly root: string,
    private readonly maxBytes: number | undefined,
  ) {}

  /** Records that a mirror was just used and measures it again. */
  async touch(gitDir: string): Promise<void> {
    const file = path.join(gitDir, LAST_USED);
    const now = new Date();
    await utimes(file, now, now).catch(() => writeFile(file, ''));
    if (this.maxBytes !== undefined) this.sizes.set(gitDir, await sizeOf(gitDir));
  }

  /** Evicts least recently used mirrors (none of `busy`) until the total is within the budget. */
  async enforce(busy: (gitDir: string) => boolean): Promise<string[]> {
    if (this.maxBytes === undefined) return [];
    if (!this.scanned) {
      for (const dir of await mirrorsUnder(this.root)) if (!this.sizes.has(dir)) this.sizes.set(dir, await sizeOf(dir));
      this.scanned = true;
    }
    let total = [...this.sizes.values()].reduce((a, b) => a + b, 0);
    if (total <= this.maxBytes) return [];
    const byAge = await Promise.all([...this.sizes.keys()].map(async (dir) => ({ dir, used: await lastUsed(dir) })));
    byAge.sort((a, b) => a.used - b.used);
    const evicted: string[] = [];
    for (const { dir, used } of byAge) {
      if (total <= this.maxBytes) break;
      if (busy(dir) || Date.now() - used < GRACE_MS) continue;
      await rm(dir, { recursive: true, force: true });
      total -= this.sizes.get(dir) ?? 0;
      this.sizes.delete(dir);
      evicted.push(dir);
      this.evictions += 1;
    }
    return evicted;
  }
}

async function mirrorsUnder(root: string): Promise<string[]> {
  const owners = await readdir(root, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const owner of owners.filter((d) => d.isDirectory())) {
    const repos = await readdir(path.join(root, owner.name), { withFileTypes: true }).catch(() => []);
    for (const r of repos)
      if (r.isDirectory() && r.name.endsWith('.git')) out.push(path.join(root, owner.name, r.name));
  }
  return out;
}

async function lastUsed(dir: string): Promise<number> {
  const info = await lstat(path.join(dir, LAST_USED)).catch(() => lstat(dir).catch(() => undefined));
  return info?.mtimeMs ?? 0;
}

/**
 * Bytes deleting a directory tree frees (allocated blocks, what `du` reports); a file with other links (the
 * `config` and `HEAD` mirrors share, `shared-files.ts`) frees nothing.
 */
export async function sizeOf(dir: string): Promise<number> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.nlink > 1 ? 0 : info.blocks * 512;
  const entries = await readdir(dir).catch(() => []);
  let total = info.blocks * 512;
  for (const e of entries) total += await sizeOf(path.join(dir, e));
  return total;
}
