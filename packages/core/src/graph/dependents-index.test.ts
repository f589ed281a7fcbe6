import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Registry } from '../model.js';
import { referencingSchema } from '../test-support/referencing-schema.js';
import { dependentsOf } from './dependents-of.js';
import { DependentsIndex } from './dependents-index.js';
import type { DependencyGraph } from './graph.js';
import { buildGraph } from './graph.js';

/** mulberry32: a failing seed replays with `AEGIS_SEED=<seed> npx vitest run packages/core/src/graph`. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` schemas, each referencing up to three random others (cycles and self-references included). */
async function randomRegistry(next: () => number, count: number): Promise<Registry> {
  const name = (i: number): string => `s${i}`;
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const targets = Array.from({ length: Math.floor(next() * 4) }, () => name(Math.floor(next() * count)));
    files[`s/${name(i)}.yaml`] = referencingSchema(name(i), `svc-${Math.floor(next() * 5)}`, [...new Set(targets)]);
  }
  return loadRegistry(memoryFileSource(files));
}

/** A graph that counts how often its dependents are asked for. */
function counting(graph: DependencyGraph): { graph: DependencyGraph; calls: () => number } {
  let calls = 0;
  return {
    graph: { ...graph, dependents: (n) => (calls++, graph.dependents(n)) },
    calls: () => calls,
  };
}

describe('DependentsIndex: dependents of many schemas over one graph', () => {
  const seed = Number(process.env['AEGIS_SEED'] ?? Date.now() % 2 ** 31);

  it(`agrees with dependentsOf on random registries (seed ${seed})`, async () => {
    console.log(`DependentsIndex property seed: ${seed}`);
    const next = random(seed);
    for (let round = 0; round < 20; round++) {
      const registry = await randomRegistry(next, 5 + Math.floor(next() * 40));
      const index = new DependentsIndex(registry);
      const names = [...registry.schemas.keys()];
      for (const name of names) {
        const whole = dependentsOf(registry, name);
        expect(index.nearest(name, Infinity)).toEqual({ schemas: whole.schemas, more: false });
        const limit = Math.floor(next() * 4);
        const some = index.nearest(name, limit);
        expect(some.schemas).toEqual(whole.schemas.slice(0, limit));
        expect(some.more).toBe(whole.schemas.length > limit);
      }
      const set = names.filter(() => next() < 0.3);
      const union = new Set(set.flatMap((n) => dependentsOf(registry, n).schemas.map((s) => s.name)));
      for (const n of set) union.delete(n);
      const owners = [...union].map((n) => registry.schemas.get(n)?.owner?.value as string);
      expect(index.affected(set)).toEqual({ count: union.size, services: [...new Set(owners)].sort() });
    }
  });

  it('walks a 3,000-schema chain once for the whole set, and only as far as the limit for one schema', async () => {
    const files: Record<string, string> = {};
    const name = (i: number): string => `s${String(i).padStart(5, '0')}`;
    for (let i = 0; i < 3_000; i++)
      files[`s/${name(i)}.yaml`] = referencingSchema(name(i), 'svc', i ? [name(i - 1)] : []);
    const registry = await loadRegistry(memoryFileSource(files));
    const { graph, calls } = counting(buildGraph(registry));
    const index = new DependentsIndex(registry, graph);
    // Every schema changed: one walk visits each once (one walk per schema would ask ~4.5 million times).
    expect(index.affected(registry.schemas.keys())).toEqual({ count: 0, services: [] });
    expect(calls()).toBe(3_000);
    expect(index.affected([name(0)])).toEqual({ count: 2_999, services: ['svc'] });
    const before = calls();
    expect(index.nearest(name(0), 10)).toEqual({
      schemas: Array.from({ length: 10 }, (_, i) => ({ name: name(i + 1), direct: i === 0 })),
      more: true,
    });
    expect(calls() - before).toBeLessThanOrEqual(11);
  });
});
