import type { PullFile } from '../github.js';
import { REGISTRY_DIR } from './registry-blobs.js';

/** GitHub lists at most this many files of a pull request: a listing this long may be missing some. */
export const PULL_FILES_CAP = 3000;

/**
 * What the app knows so far about a pull request's change: the files GitHub listed (`listed`: every page
 * read), and whether its head has a registry at all (`undefined` until asked).
 */
export interface RegistryFacts {
  files: readonly PullFile[];
  listed: boolean;
  hasRegistry?: boolean;
}

/**
 * What an event needs from the repository:
 * - `read`: the change touches the registry (or cannot be told apart from one that does): fetch and judge it;
 * - `unchanged`: the repository has a registry the change does not touch: the checks pass without a fetch;
 * - `absent`: the repository has no registry and the change adds none: nothing to fetch, nothing to publish;
 * - `list-more` / `ask-registry`: the next fact to gather (another page of files; whether `.kiro` exists).
 */
export type RegistryNeed = 'read' | 'unchanged' | 'absent' | 'list-more' | 'ask-registry';

/** Whether a changed file (either side of a rename) lies in the registry folder. */
export function touchesRegistry(file: PullFile): boolean {
  const inside = (p: string | undefined): boolean => p === REGISTRY_DIR || (p?.startsWith(`${REGISTRY_DIR}/`) ?? false);
  return inside(file.path) || inside(file.previousPath);
}

/**
 * Decides, from the facts gathered so far, whether an event needs the registry or which fact to gather next.
 * One registry path settles it at once (no further page is read); a listing cut at GitHub's 3,000 files could
 * hide one, so it counts as touching the registry.
 */
export function registryNeed(facts: RegistryFacts): RegistryNeed {
  if (facts.files.some(touchesRegistry)) return 'read';
  if (!facts.listed) return 'list-more';
  if (facts.files.length >= PULL_FILES_CAP) return 'read';
  if (facts.hasRegistry === undefined) return 'ask-registry';
  return facts.hasRegistry ? 'unchanged' : 'absent';
}
