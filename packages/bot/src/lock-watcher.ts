import { affectedResources } from '@aegis/freeze';
import type { FreezeService, Lock } from '@aegis/freeze';
import type { GitHubPort } from './github.js';
import type { RepoInfo } from './repo-info.js';

/** Opens a GitHub port for an installation (Probot's `app.auth(id)` in production). */
export type GitHubFactory = (installationId: number, fullName: string) => Promise<GitHubPort>;

/** Re-evaluates `aegis/freeze` for a branch given the resources whose locks changed. */
export type Reevaluate = (gh: GitHubPort, repo: RepoInfo, branch: string, affected: string[]) => Promise<unknown>;

interface Watched {
  repo: RepoInfo;
  installationId: number;
}

/**
 * Notices lock changes the bot did not make itself — locks that expire by TTL, and locks taken or released by
 * the indexing service through the store — by comparing each branch's live locks between sweeps, and
 * re-runs `aegis/freeze` on the open PRs they affect. Changes made by comment commands are recorded with
 * `observe` so they are not re-evaluated twice. Repositories are learnt from the webhooks they send.
 */
export class LockWatcher {
  private readonly watched = new Map<string, Watched>();
  private readonly known = new Map<string, Map<string, Lock>>();
  private github: GitHubFactory | undefined;
  private reevaluate: Reevaluate | undefined;
  private running: Promise<void> | undefined;
  /** Repositories swept at least once: after that, a branch never seen before had no locks. */
  private readonly swept = new Set<string>();

  constructor(private readonly freeze: Pick<FreezeService, 'getBranchState' | 'listBranches'>) {}

  /** How the watcher reaches GitHub and re-runs `aegis/freeze` (set when the app is loaded). */
  connect(factory: GitHubFactory, reevaluate: Reevaluate): void {
    this.github = factory;
    this.reevaluate = reevaluate;
  }

  /** Starts watching a repository (called for every webhook it sends). */
  remember(repo: RepoInfo, installationId: number | undefined): void {
    if (installationId !== undefined) this.watched.set(repo.fullName, { repo, installationId });
  }

  /** Records a branch's locks as they are now, after the bot itself changed them. */
  async observe(repo: string, branch: string): Promise<void> {
    const status = await this.freeze.getBranchState({ repo, branch }).catch(() => undefined);
    if (status) this.known.set(`${repo}\0${branch}`, new Map(status.locks.map((l) => [l.id, l])));
  }

  /** Resolves when no pass is running (shutdown waits for it). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** One pass over every watched repository; concurrent calls share the pass. */
  sweep(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    for (const { repo, installationId } of this.watched.values()) {
      const branches = await this.freeze.listBranches(repo.fullName).catch(() => undefined);
      if (!branches) continue;
      // Branches seen before but gone from the list lost their last lock: they count as "no locks now".
      const current = new Map<string, Lock[]>();
      for (const key of this.known.keys()) {
        const [r, branch] = key.split('\0');
        if (r === repo.fullName && branch !== undefined) current.set(branch, []);
      }
      for (const b of branches) current.set(b.branch, b.locks);
      const first = !this.swept.has(repo.fullName);
      for (const [branch, locks] of current) await this.compare(repo, installationId, branch, locks, first);
      this.swept.add(repo.fullName);
    }
  }

  private async compare(
    repo: RepoInfo,
    installationId: number,
    branch: string,
    locks: Lock[],
    first: boolean,
  ): Promise<void> {
    const key = `${repo.fullName}\0${branch}`;
    const before = this.known.get(key) ?? (first ? undefined : new Map<string, Lock>());
    const now = new Map(locks.map((l) => [l.id, l]));
    this.known.set(key, now);
    if (!before || !this.github || !this.reevaluate) return;
    const appeared = [...now.values()].filter((l) => !before.has(l.id));
    const vanished = [...before.values()].filter((l) => !now.has(l.id));
    const changed = [...appeared, ...vanished];
    if (changed.length === 0) return;
    const gh = await this.github(installationId, repo.fullName);
    await this.reevaluate(gh, repo, branch, [...new Set(changed.map(affectedResources))]);
  }
}
