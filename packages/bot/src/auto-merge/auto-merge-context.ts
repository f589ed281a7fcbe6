import type { FreezeService, ShadowService } from '@aegis/freeze';
import type { Registry } from 'prom-client';
import type { PullTeller, RepoReach } from '../indexing/after-change.js';
import type { TreeHashReach } from '../indexing/tree-hash.js';

/** The shadow builds auto-merge lists, switches in and rolls back; the audit and branch states it reads and moves. */
export type AutoMergeFreeze = Pick<FreezeService, 'queryAudit' | 'transition'> & {
  shadow: Pick<ShadowService, 'list' | 'switch' | 'rollback'>;
};

/**
 * What evaluating and carrying out auto-merge uses of the operations' context (an `OperationContext` is one):
 * GitHub per repository, telling the PR, the head's schema tree, the store, the clock and the switch metric.
 */
export type AutoMergeContext = RepoReach &
  PullTeller &
  TreeHashReach & {
    bot: { freeze: AutoMergeFreeze; clock: () => number; metrics: { registry: Registry } };
  };
