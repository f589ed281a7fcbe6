import type { GitHubPort, PullFile } from '../github.js';
import { REGISTRY_DIR } from './registry-blobs.js';
import { registryNeed } from './registry-need.js';
import type { RegistryFacts, RegistryNeed } from './registry-need.js';

/**
 * Whether a pull request needs the registry, asked of GitHub's API rather than git: the PR's file list, page by
 * page until a registry path shows up, then — only for a change outside the registry — whether the head has a
 * `.kiro` folder at all. No fetch: a repository without a registry, or a change beside it, costs one or two
 * API reads. The decision itself is `registryNeed`.
 */
export async function pullRegistryNeed(
  gh: GitHubPort,
  pull: { number: number; headSha: string },
): Promise<Exclude<RegistryNeed, 'list-more' | 'ask-registry'>> {
  const files: PullFile[] = [];
  const facts: RegistryFacts & { files: PullFile[] } = { files, listed: false };
  const pages = gh.pullFilePages(pull.number)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const need = registryNeed(facts);
      if (need === 'list-more') {
        const page = await pages.next();
        if (page.done) facts.listed = true;
        else files.push(...page.value);
      } else if (need === 'ask-registry') {
        facts.hasRegistry = await gh.pathExists(REGISTRY_DIR, pull.headSha);
      } else return need;
    }
  } finally {
    await pages.return?.();
  }
}
