import type { FreezeService, ShadowService } from '@aegis/freeze';
import type { Registry } from 'prom-client';

/**
 * The narrow ports the operation handlers ask for, each naming the few methods it uses (as the auto-merge
 * `AutoMergeContext` does): `FreezePort<'getBranchState'> & MetricsPort`. An `OperationContext` is every one
 * of them; a unit test passes only what its handler reads.
 */

/** Methods `K` of the freeze facade (branch states, locks, audit). */
export interface FreezePort<K extends keyof FreezeService> {
  bot: { freeze: Pick<FreezeService, K> };
}

/** Methods `K` of the shadow builds. */
export interface ShadowPort<K extends keyof ShadowService> {
  bot: { freeze: { shadow: Pick<ShadowService, K> } };
}

/** The registry the indexing histograms (`operationMetrics`) are on. */
export interface MetricsPort {
  bot: { metrics: { registry: Registry } };
}
