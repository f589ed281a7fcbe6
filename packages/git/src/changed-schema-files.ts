import { DEFAULT_SCHEMA_DIR } from './git-ref-file-source.js';
import { normalizeSchemaDir } from './registry-tree.js';
import { parseRawDiff, type ChangedFile } from './parse-raw-diff.js';
import { resolveCommit } from './resolve-commit.js';
import { runGitOk } from './run-git.js';

export interface ChangedSchemaFilesOptions {
  schemaDir?: string;
  /**
   * Compare against the merge base of `base` and `head` (what a pull request shows: `base...head`) instead
   * of `base` itself. Default false.
   */
  mergeBase?: boolean;
}

/**
 * The files of the registry folder that differ between two refs, renames detected (git's default
 * similarity, 50%), with blob ids on both sides. Paths are from the repository root.
 */
export async function changedSchemaFiles(
  repoDir: string,
  base: string,
  head: string,
  options: ChangedSchemaFilesOptions = {},
): Promise<ChangedFile[]> {
  const [baseCommit, headCommit] = await Promise.all([resolveCommit(repoDir, base), resolveCommit(repoDir, head)]);
  const from = options.mergeBase
    ? (await runGitOk(repoDir, ['merge-base', baseCommit, headCommit])).toString('utf8').trim()
    : baseCommit;
  const dir = normalizeSchemaDir(options.schemaDir ?? DEFAULT_SCHEMA_DIR);
  const args = ['diff', '--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', from, headCommit, '--', dir];
  return parseRawDiff((await runGitOk(repoDir, args)).toString('utf8'));
}
