import { describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../graph/graph.js';
import { dependentsOf } from '../graph/dependents-of.js';
import type { Registry, Schema } from '../model.js';
import { dependentsSummaries } from './dependents-summary.js';

/** A graph and registry where schema i references schema i - 1 (and the edges given), owners svc-(i % 4). */
function chain(length: number, extra: [number, number][] = []): { graph: DependencyGraph; registry: Registry } {
  const name = (i: number) => `n${String(i).padStart(4, '0')}`;
  const deps = new Map<string, Set<string>>();
  const rdeps = new Map<string, Set<string>>();
  const edge = (from: number, to: number) => {
    deps.set(name(from), (deps.get(name(from)) ?? new Set()).add(name(to)));
    rdeps.set(name(to), (rdeps.get(name(to)) ?? new Set()).add(name(from)));
  };
  for (let i = 1; i < length; i++) edge(i, i - 1);
  for (const [from, to] of extra) edge(from, to);
  const nodes = Array.from({ length }, (_, i) => name(i));
  const graph: DependencyGraph = {
    nodes,
    dependencies: (n) => [...(deps.get(n) ?? [])].sort(),
    dependents: (n) => [...(rdeps.get(n) ?? [])].sort(),
  };
  const schemas = new Map(
    nodes.map((n, i) => [n, { name: { value: n }, owner: { value: `svc-${i % 4}` } } as unknown as Schema]),
  );
  return { graph, registry: { files: new Map(), schemas } };
}

describe('dependentsSummaries', () => {
  it('agrees with dependentsOf on services and on the nearest indirect dependents', () => {
    const { graph, registry } = chain(30, [[29, 3]]);
    const summary = dependentsSummaries(registry, graph, 5);
    for (const name of ['n0000', 'n0003', 'n0010', 'n0029']) {
      const full = dependentsOf(registry, name, graph);
      const got = summary(name);
      expect(got.services).toEqual(full.services);
      expect(got.direct).toEqual(full.schemas.filter((s) => s.direct).map((s) => s.name));
      expect(got.indirect).toEqual(
        full.schemas
          .filter((s) => !s.direct)
          .slice(0, 5)
          .map((s) => s.name),
      );
      expect(got.indirectCount).toBe(full.schemas.filter((s) => !s.direct).length);
    }
  });

  it('stays bounded on a 10,000-long chain: services complete, the count left open', () => {
    const { graph, registry } = chain(10_000);
    const summary = dependentsSummaries(registry, graph, 20);
    const head = summary('n0000');
    expect(head.direct).toEqual(['n0001']);
    expect(head.indirect).toHaveLength(20);
    expect(head.indirectCount).toBeUndefined();
    expect(head.services).toEqual(['svc-0', 'svc-1', 'svc-2', 'svc-3']);
    expect(summary('n9998')).toEqual({ direct: ['n9999'], indirect: [], indirectCount: 0, services: ['svc-3'] });
    // Every schema of the chain, each search bounded: linear, not 50 million visits.
    const counts = Array.from({ length: 10_000 }, (_, i) => summary(`n${String(i).padStart(4, '0')}`).indirectCount);
    expect(counts.filter((count) => count === undefined)).toHaveLength(10_000 - 200);
  });

  it('handles cycles: members reach each other', () => {
    const { graph, registry } = chain(3, [[0, 2]]);
    expect(dependentsSummaries(registry, graph, 10)('n0000')).toEqual({
      direct: ['n0001'],
      indirect: ['n0002'],
      indirectCount: 1,
      services: ['svc-0', 'svc-1', 'svc-2'],
    });
  });
});
