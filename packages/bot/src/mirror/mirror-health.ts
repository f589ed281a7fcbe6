import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The state of a mirror on disk. */
export type MirrorHealth = 'missing' | 'ok' | 'damaged';

/**
 * Whether a mirror can be fetched into as it is. `damaged` (not a bare repository, git cannot read it, or, with
 * `deep`, objects are missing) means: rebuild. A shallow history is normal (the mirror deepens it as far as a
 * merge base needs). The cheap form runs on every fetch; `deep` (a connectivity check) only after a fetch failed.
 */
export async function mirrorHealth(dir: string, options: { deep?: boolean } = {}): Promise<MirrorHealth> {
  const head = await access(path.join(dir, 'HEAD')).then(
    () => true,
    () => false,
  );
  if (!head) {
    const anything = await access(dir).then(
      () => true,
      () => false,
    );
    return anything ? 'damaged' : 'missing';
  }
  const git = (...args: string[]) =>
    run('git', args, { cwd: dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' }, maxBuffer: 16 * 1024 * 1024 });
  try {
    if ((await git('rev-parse', '--is-bare-repository')).stdout.trim() !== 'true') return 'damaged';
    await git('for-each-ref', '--count=1');
    if (options.deep) await git('fsck', '--connectivity-only', '--no-dangling', '--no-progress');
    return 'ok';
  } catch {
    return 'damaged';
  }
}
