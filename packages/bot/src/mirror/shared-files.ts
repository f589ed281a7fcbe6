import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';

/**
 * A blob-less partial clone of `origin`; the URL and token come from the environment of each fetch. Fetched
 * packs are kept as they come (not exploded into a 4 KiB file per object), so small registries stay small;
 * `git gc --auto` runs inside the repository's queue (not detached), so no repack races an eviction.
 */
export const PARTIAL_CLONE_CONFIG: [string, string][] = [
  ['core.repositoryformatversion', '1'],
  ['extensions.partialClone', 'origin'],
  ['remote.origin.promisor', 'true'],
  ['remote.origin.partialclonefilter', 'blob:none'],
  ['fetch.unpackLimit', '1'],
  ['gc.autoDetach', 'false'],
];

/** `git config` file text of `entries` (`section.name` or `section.sub.name`), sections in order of first use. */
function configText(entries: Iterable<[string, string]>): string {
  const sections = new Map<string, string[]>();
  for (const [key, value] of entries) {
    const dot = key.lastIndexOf('.');
    const [section = '', ...sub] = key.slice(0, dot).split('.');
    const header = sub.length > 0 ? `[${section} "${sub.join('.')}"]` : `[${section}]`;
    sections.set(header, [...(sections.get(header) ?? []), `\t${key.slice(dot + 1)} = ${value}`]);
  }
  return [...sections].map(([header, lines]) => [header, ...lines].join('\n') + '\n').join('');
}

/**
 * The files every mirror holds with the same bytes: `config` as `git init --bare` then `git config` of
 * `PARTIAL_CLONE_CONFIG` wrote it, and `HEAD` as `git init` writes it (a bare mirror never reads its HEAD: reads
 * name `refs/heads/<branch>` or a commit).
 */
export const SHARED_FILES: Readonly<Record<'config' | 'HEAD', string>> = {
  config: configText(
    new Map([
      ['core.repositoryformatversion', '0'],
      ['core.filemode', 'true'],
      ['core.bare', 'true'],
      ...PARTIAL_CLONE_CONFIG,
    ]),
  ),
  HEAD: 'ref: refs/heads/master\n',
};

/** The root's copy of a shared file (beside the owners' folders, which never start with a dot). */
const copyOf = (root: string, name: string): string => path.join(root, `.aegis-mirror-${name}`);

/**
 * Makes each shared file of the mirror at `dir` a hard link to one read-only copy in the mirrors' `root`: a
 * small mirror is a few 4 KiB blocks, and these two were two of ten. With `fresh` (a mirror `git init` just made)
 * both are replaced; otherwise only a file that is missing or holds the shared bytes (a mirror of the layout
 * before, migrated in place) — any other is left as it is.
 *
 * Why hard links, not symbolic ones: git writes `config` and refs by writing `<file>.lock` and renaming it over
 * the file, so a `git config` in one mirror replaces that mirror's link with a file of its own and changes no
 * other mirror; through a symbolic link git would rewrite the shared target itself, for every mirror, under one
 * lock contended by every repository. No git command a sync runs writes either file (the test checks the links
 * survive syncs, deepening, blob fetches and `git gc`). When a link cannot be made (another file system, the link
 * count limit, a root it cannot write), the mirror gets a file of its own with the same bytes. Only a file edited in
 * place (not through git) would reach every mirror: the copies are read-only against that.
 */
export async function shareFiles(dir: string, root: string, options: { fresh?: boolean } = {}): Promise<void> {
  await removeLeftoverTemps(dir);
  for (const [name, text] of Object.entries(SHARED_FILES)) {
    const file = path.join(dir, name);
    const own = await lstat(file).catch(() => undefined);
    const needed = options.fresh === true || own === undefined;
    const linked = await linkToCopy(file, own, copyOf(root, name), text, needed).catch(() => false);
    if (!linked && needed) await replaceWith(file, (tmp) => writeFile(tmp, text));
  }
}

/**
 * Makes `file` a link to the root's `copy` (written first when missing or not holding `text`), unless it is one
 * already or, when not `needed`, holds other bytes; whether it is linked.
 */
async function linkToCopy(
  file: string,
  own: Stats | undefined,
  copy: string,
  text: string,
  needed: boolean,
): Promise<boolean> {
  const shared = await sharedCopy(copy, text);
  if (own && own.ino === shared.ino && own.dev === shared.dev) return true;
  if (!needed && !(own?.isFile() && (await readFile(file, 'utf8')) === text)) return false;
  await replaceWith(file, (tmp) => link(copy, tmp));
  return true;
}

/**
 * The root's copy of a shared file, written when missing or not holding `text` (a copy made meanwhile for another
 * mirror is kept, so mirrors created at once link to one copy).
 */
async function sharedCopy(copy: string, text: string): Promise<Stats> {
  const current = await readFile(copy, 'utf8').catch(() => undefined);
  if (current === text) return lstat(copy);
  const write = async (tmp: string) => {
    await writeFile(tmp, text);
    await chmod(tmp, 0o444);
  };
  await replaceWith(copy, write, { ifMissing: current === undefined });
  return lstat(copy);
}

/** The temporary name `replaceWith` writes at: `<file>.aegis-<pid>-<8 hex>`. */
const TEMP_NAME = /\.aegis-(\d+)-[0-9a-f]{8}$/;

/** Whether a process with this id runs (one of another user still answers, with EPERM). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes what `replaceWith` left in `dir` when its process stopped mid-write (a crash, a kill): the temporary
 * files of a process no longer running, and of this process's id — a restarted container's process often has
 * the id of the one before, and the caller knows none of its own is being written there (a mirror's files are
 * written inside its repository's queue; the root's before the first sync). How many it deleted.
 */
export async function removeLeftoverTemps(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [])) {
    const pid = Number(TEMP_NAME.exec(name)?.[1] ?? NaN);
    if (Number.isNaN(pid) || (pid !== process.pid && running(pid))) continue;
    await unlink(path.join(dir, name)).then(
      () => (removed += 1),
      () => undefined,
    );
  }
  return removed;
}

/**
 * Puts at `file`, in one step, what `make` writes at a temporary name beside it: renamed over it (readers see the
 * old or the new file, never a part), or with `ifMissing` linked there unless a file appeared meanwhile.
 */
async function replaceWith(
  file: string,
  make: (tmp: string) => Promise<void>,
  options: { ifMissing?: boolean } = {},
): Promise<void> {
  const tmp = `${file}.aegis-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await make(tmp);
    if (!options.ifMissing) await rename(tmp, file);
    else
      await link(tmp, file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
