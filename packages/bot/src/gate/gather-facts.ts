import { findLinkedIssue } from '../checks/audit-check.js';
import type { LinkedIssue } from '../checks/audit-check.js';
import type { CheckName } from '../checks/check-result.js';
import { readFreezeVerdict } from '../checks/freeze-check.js';
import type { FreezeVerdict } from '../checks/freeze-check.js';
import { proveMigration } from '../checks/prove-migration.js';
import type { MigrationProof } from '../checks/prove-migration.js';
import type { IssueStatus } from '../github.js';
import type { ContributorFacts } from '../rbac/pull-contributors.js';
import { pullRegistryNeed } from '../mirror/pull-registry-need.js';
import type { FactSources, GateTarget } from './gate-ports.js';
import { readContributors } from './read-contributors.js';
import { changedOwners, policyFacts, pullChange, syncMirror } from './read-pull.js';
import type { PolicyFacts, PullChange } from './read-pull.js';

/** Everything the named checks of one PR are decided on; only what those checks need is gathered. */
export interface GateFacts {
  target: Pick<GateTarget, 'repo' | 'pull'>;
  names: readonly CheckName[];
  linked: LinkedIssue | undefined;
  /** What GitHub says of the linked `#n` (aegis/audit). */
  issueStatus?: IssueStatus | undefined;
  /** The PR's change (validate, rbac, freeze). */
  change?: PullChange | undefined;
  /** The policy and diagnostics (validate, rbac). */
  policy?: PolicyFacts | undefined;
  /** Everyone who contributed the change, as RBAC sees them (rbac, when something is judged). */
  contributors?: ContributorFacts | undefined;
  /**
   * A PR that needs no registry, told from GitHub's file list without a fetch (`registryNeed`): `unchanged`
   * (validate, rbac and freeze pass as no change), `absent` (no registry at all: nothing is published).
   */
  registryNeed?: 'unchanged' | 'absent' | undefined;
  /** Why the PR could not be read: every check that needed it says so. */
  failure?: { error: unknown } | undefined;
  /** The lock store's answer for the base branch (freeze). */
  verdict?: FreezeVerdict | undefined;
  /** The change's SQL proven on a throwaway database (validate, when configured and the head is valid). */
  migration?: MigrationProof | undefined;
  /** A newer push replaced the head while its event waited for the mirror: nothing else was read. */
  supersededBy?: string | undefined;
}

/** Asked once the mirror is synced, before anything is parsed: the newer head that replaced this one, if any. */
export type SupersededBy = () => Promise<string | undefined>;

/** What the caller already read (lock re-evaluation reads every open PR's change from one mirror sync). */
export interface KnownFacts {
  gitDir?: string;
  change?: PullChange;
  /** A push's event: skips its head when a newer push replaced it while it waited. */
  supersededBy?: SupersededBy;
}

const needsChange = (names: readonly CheckName[]): boolean => names.some((n) => n !== 'aegis/audit');
const needsPolicy = (names: readonly CheckName[]): boolean =>
  names.includes('aegis/validate') || names.includes('aegis/rbac');

async function readPull(
  sources: FactSources,
  target: GateTarget,
  names: readonly CheckName[],
  known: KnownFacts,
): Promise<Pick<GateFacts, 'change' | 'policy' | 'supersededBy'>> {
  const { gh, repo, pull } = target;
  const needPolicy = needsPolicy(names);
  if (known.change && !needPolicy) return { change: known.change };
  const gitDir = known.gitDir ?? (await syncMirror(sources, gh, repo, [pull.headSha], [pull.baseRef]));
  const supersededBy = await known.supersededBy?.();
  if (supersededBy) return { supersededBy };
  const change = known.change ?? (await pullChange(sources, gitDir, pull));
  const policy = needPolicy ? await policyFacts(repo, pull, { gitDir, change }) : undefined;
  return { change, policy };
}

/** Who contributed the change, when aegis/rbac has something to judge (a schema or the policy changed). */
async function contributorsOf(
  sources: FactSources,
  target: GateTarget,
  facts: Pick<GateFacts, 'names' | 'change' | 'policy'>,
) {
  const { names, change, policy } = facts;
  if (!names.includes('aegis/rbac') || !change || !policy) return undefined;
  if (change.changed.length === 0 && !policy.policyEdited) return undefined;
  return readContributors(sources, target, policy.policy, changedOwners(change));
}

/** Proves the change's SQL when a verification database is configured and the head registry is valid. */
async function migrationProof(url: string | undefined, facts: Pick<GateFacts, 'change' | 'policy'>) {
  const { change, policy } = facts;
  if (!url || !change || !policy || change.changed.length === 0) return undefined;
  return policy.checked.headValid ? proveMigration(url, change.base, change.head) : undefined;
}

/**
 * Gathers the facts of the named checks of one PR — the linked issue and its status, the change and policy
 * from the mirror, who contributed the change, the lock store's verdict, the migration proof. A PR the mirror cannot read is a fact
 * (`failure`, logged), never a PR left without its checks; GitHub or store errors elsewhere are thrown.
 */
export async function gatherFacts(
  sources: FactSources,
  target: GateTarget,
  names: readonly CheckName[],
  known: KnownFacts = {},
): Promise<GateFacts> {
  const { gh, repo, pull, log } = target;
  const linked = findLinkedIssue(pull.body, sources.config.issueKeyPattern);
  const facts: GateFacts = { target: { repo, pull }, names, linked };
  try {
    // Asked for every run (audit alone too): a repository without a registry gets no check at all.
    const need = known.change || known.gitDir ? 'read' : await pullRegistryNeed(gh, pull);
    if (need !== 'read') facts.registryNeed = need;
    else if (needsChange(names)) Object.assign(facts, await readPull(sources, target, names, known));
  } catch (error) {
    log.error({ err: error, pr: pull.number }, 'could not read the pull request from the mirror');
    facts.failure = { error };
  }
  if (facts.supersededBy) return facts;
  const ref = { repo: repo.fullName, branch: pull.baseRef };
  const [issueStatus, verdict, migration, contributors] = await Promise.all([
    names.includes('aegis/audit') && linked?.number !== undefined && facts.registryNeed !== 'absent'
      ? gh.issueStatus(linked.number)
      : undefined,
    names.includes('aegis/freeze') && facts.change ? readFreezeVerdict(sources.freeze, ref, log) : undefined,
    names.includes('aegis/validate') ? migrationProof(sources.config.verifyDatabaseUrl, facts) : undefined,
    contributorsOf(sources, target, facts),
  ]);
  return { ...facts, issueStatus, verdict, migration, contributors };
}
