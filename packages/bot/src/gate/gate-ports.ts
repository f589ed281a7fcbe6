import type { FreezeService } from '@aegis/freeze';
import type { BotConfig } from '../bot-context.js';
import type { GitHubPort, PullInfo } from '../github.js';
import type { Log } from '../log.js';
import type { ParseCache } from '../mirror/parse-cache.js';
import type { RepoMirror } from '../mirror/repo-mirror.js';
import type { ActorResolver } from '../rbac/resolve-actor.js';
import type { PullHeads } from './pull-heads.js';
import type { RepoInfo } from '../repo-info.js';

/** One pull request of one repository that the gate judges, and where to say what happened. */
export interface GateTarget {
  gh: GitHubPort;
  repo: RepoInfo;
  pull: PullInfo;
  log: Log;
  /** The webhook delivery that asked (audit `delivery`), if any. */
  delivery?: string | undefined;
  /** Who pushed `pull.headSha`, when the delivery is a push to the PR (`opened`/`synchronize`'s sender). */
  pusher?: string | undefined;
}

/**
 * What gathering a pull request's facts reads: the mirror and its parse cache, who the contributors are, the
 * lock store (and the pushes recorded in it).
 */
export interface FactSources {
  mirror: Pick<RepoMirror, 'sync'>;
  cache: Pick<ParseCache, 'registryOf'>;
  actors: Pick<ActorResolver, 'resolve'>;
  freeze: Pick<FreezeService, 'getBranchState' | 'members'>;
  config: Pick<BotConfig, 'issueKeyPattern' | 'verifyDatabaseUrl'>;
}

/** After every published check of a PR passed: auto-merge's turn (it checks its own conditions). */
export type AfterChecks = (repo: string, pull: number) => Promise<void>;

/** What publishing a gate's results writes: audit records, check runs, metrics, the audit comment. */
export interface GatePublisher {
  /** Audit records, deduplicated per head SHA (`forgetDelivery`: a run that failed is decided again). */
  freeze: Pick<FreezeService, 'firstDelivery' | 'forgetDelivery' | 'appendAudit'>;
  config: Pick<BotConfig, 'dedupeTtlMs'>;
  checkRuns: { inc(labels: { check: string; conclusion: string }): void };
  /** Mirrors the PR's audit records on its linked issue; logs and never throws. */
  syncAuditComment(gh: GitHubPort, issue: { key: string; number: number }, pr: number, log: Log): Promise<void>;
  /** Absent where no indexing interface is wired (then nothing merges by itself). */
  afterChecks?: AfterChecks | undefined;
}

/** Everything the gate pipeline needs: the facts' sources and the publisher. */
export interface Gate extends FactSources, GatePublisher {
  /** `addMember`: a push's pusher is recorded before its checks run (aegis/rbac judges every pusher). */
  freeze: FactSources['freeze'] & GatePublisher['freeze'] & Pick<FreezeService, 'addMember'>;
  config: FactSources['config'] & GatePublisher['config'];
  /** The newest head each PR's deliveries named on this replica (a push's event skips a head superseded since). */
  heads?: Pick<PullHeads, 'note' | 'newer'> | undefined;
}
