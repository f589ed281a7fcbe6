import { Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** The indexing interface's figures (seed 000's `oms_` metrics renamed `aegis_`), on the bot's registry. */
export interface OperationMetrics {
  indexingDuration: Histogram<'outcome'>;
  switchDuration: Histogram<'outcome'>;
}

const byRegistry = new WeakMap<Registry, OperationMetrics>();

/** The histograms registered once per registry (several operation contexts may share one bot). */
export function operationMetrics(registry: Registry): OperationMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      indexingDuration: new Histogram({
        name: 'aegis_indexing_duration_seconds',
        help: 'Indexing time from indexing.started to completed/failed',
        labelNames: ['outcome'],
        buckets: [1, 10, 60, 300, 900, 1800, 3600, 7200],
        registers: [registry],
      }),
      switchDuration: new Histogram({
        name: 'aegis_switch_duration_seconds',
        help: 'Time a shadow switch held its lock (the window developers can notice)',
        labelNames: ['outcome'],
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
        registers: [registry],
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
