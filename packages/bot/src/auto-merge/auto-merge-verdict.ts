import type { ShadowBuild } from '@aegis/freeze';
import type { IndexingValidation } from '../indexing/index.js';
import type { AutoMergeSetting } from './auto-merge-setting.js';
import type { CommitCheck, MergeState } from './merge-api.js';
import { mergeConditions } from './merge-conditions.js';

/** A BUILT shadow made from the PR head's schema tree, with that tree. */
export type HeadShadow = ShadowBuild & { headTree: string };

/** Everything auto-merge decides one pull request on, gathered beforehand. */
export interface AutoMergeFacts {
  pull: MergeState;
  setting: AutoMergeSetting | undefined;
  /** This app's check runs on the head (other apps' runs were left out when listed). */
  checks: CommitCheck[];
  now: number;
  timeoutMs: number;
  /** `indexing.completed` on the PR's own head branch: the indexer's verdict and the commit it indexed. */
  indexed?: { validation: IndexingValidation; commit?: string | undefined } | undefined;
  /** Otherwise: the base branch's BUILT shadows and the head's schema tree hash. */
  shadows?: { built: readonly ShadowBuild[]; headTree: string } | undefined;
}

/** Merge (through the shadow, when one is named), or wait for the conditions listed. */
export type AutoMergeVerdict = { merge: true; shadow?: HeadShadow } | { merge: false; unmet: string[] };

/**
 * The BUILT shadow whose tree is the head's, or why there is none: a build from before the last push has
 * another tree and never switches in.
 */
export function matchShadow(
  built: readonly ShadowBuild[],
  headTree: string,
): { build: HeadShadow; reason: '' } | { build: undefined; reason: string } {
  const match = built.find((s) => s.treeHash === headTree);
  if (match) return { build: { ...match, headTree }, reason: '' };
  const stale = built[0];
  const reason = stale
    ? `shadow index \`${stale.id}\` was built from schema tree ${stale.treeHash.slice(0, 10)}, but the head's tree is ${headTree.slice(0, 10)} (pushed since): a stale index never switches in`
    : `no shadow index has been built from the head's schema tree ${headTree.slice(0, 10)} yet`;
  return { build: undefined, reason };
}

/** What an indexed head branch still lacks: the indexer's own validation, and an index of exactly the head. */
function indexedUnmet(indexed: NonNullable<AutoMergeFacts['indexed']>, headSha: string): string[] {
  const unmet: string[] = [];
  if (!indexed.validation.passed)
    unmet.push(`the indexer's validation failed: ${indexed.validation.errors.join('; ') || 'no detail given'}`);
  if (indexed.commit && indexed.commit !== headSha)
    unmet.push(`the index was built from ${indexed.commit.slice(0, 7)}, not the head ${headSha.slice(0, 7)}`);
  return unmet;
}

/**
 * THE auto-merge decision: the seed's conditions (`mergeConditions`: enabled, not timed out, every aegis
 * check green, GitHub mergeable) plus an index built from the head — the PR's indexed head branch, or a
 * BUILT shadow of the base branch from the head's schema tree. Pure: the caller gathered the facts.
 */
export function autoMergeVerdict(facts: AutoMergeFacts): AutoMergeVerdict {
  const { pull } = facts;
  const unmet = mergeConditions(pull, facts.setting, facts.checks, facts.now, facts.timeoutMs);
  if (facts.indexed) {
    unmet.push(...indexedUnmet(facts.indexed, pull.headSha));
    return unmet.length ? { merge: false, unmet } : { merge: true };
  }
  const shadow = matchShadow(facts.shadows?.built ?? [], facts.shadows?.headTree ?? '');
  if (!shadow.build) unmet.push(shadow.reason);
  return unmet.length || !shadow.build ? { merge: false, unmet } : { merge: true, shadow: shadow.build };
}
