import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Registry } from '../model.js';
import { exampleFiles, validateFixture } from '../test-support/fixtures.js';
import { validateRegistry } from '../validate/validate-registry.js';
import { referencingSchema } from '../test-support/referencing-schema.js';
import { dependentsOf } from './dependents-of.js';
import { findCycles } from './find-cycles.js';
import { buildGraph } from './graph.js';
import { migrationOrder } from './migration-order.js';

async function registryOf(schemas: Record<string, string[]>, owners: Record<string, string> = {}): Promise<Registry> {
  const files = Object.fromEntries(
    Object.entries(schemas).map(([name, targets]) => [
      `s/${name}.yaml`,
      referencingSchema(name, owners[name] ?? `${name}-service`, targets),
    ]),
  );
  return loadRegistry(memoryFileSource(files));
}

/** s00000 → s00001 → … → s(n-1): each schema references the next one. */
function chain(length: number, closed: boolean): Record<string, string[]> {
  const name = (i: number): string => `s${String(i).padStart(5, '0')}`;
  return Object.fromEntries(
    Array.from({ length }, (_, i) => [name(i), i + 1 < length ? [name(i + 1)] : closed ? [name(0)] : []]),
  );
}

describe('the dependency graph', () => {
  it('knows dependencies and dependents, without self-references or unknown schemas', async () => {
    const graph = buildGraph(await registryOf({ a: ['b', 'c', 'b', 'a', 'ghost'], b: ['c'], c: [] }));
    expect(graph.nodes).toEqual(['a', 'b', 'c']);
    expect(graph.dependencies('a')).toEqual(['b', 'c']);
    expect(graph.dependents('c')).toEqual(['a', 'b']);
    expect(graph.dependencies('ghost')).toEqual([]);
  });

  it('orders migrations referenced-first, ties by name, the same every time', async () => {
    const registry = await loadRegistry(memoryFileSource(exampleFiles()));
    expect(migrationOrder(registry)).toEqual(['users', 'audit_logs', 'policies', 'applications']);
    const shuffled = await registryOf({ d: ['a'], c: ['a'], b: [], a: ['b'], e: ['d', 'c'] });
    expect(migrationOrder(shuffled)).toEqual(['b', 'a', 'c', 'd', 'e']);
    // A self-reference orders nothing.
    expect(migrationOrder(await registryOf({ b: ['a'], a: ['a'] }))).toEqual(['a', 'b']);
    // Members of a cycle cannot be ordered: they come last, by name.
    expect(migrationOrder(await registryOf({ z: [], y: ['x'], x: ['y'], w: ['z'] }))).toEqual(['z', 'w', 'x', 'y']);
  });

  it('finds who depends on a schema, directly and transitively, and their owner services', async () => {
    const registry = await loadRegistry(memoryFileSource(exampleFiles()));
    expect(dependentsOf(registry, 'users')).toEqual({
      schemas: [
        { name: 'applications', direct: true },
        { name: 'audit_logs', direct: true },
        { name: 'policies', direct: true },
      ],
      services: ['application-service', 'audit-service', 'policy-service'],
    });
    expect(dependentsOf(registry, 'policies')).toEqual({
      schemas: [{ name: 'applications', direct: true }],
      services: ['application-service'],
    });
    const deep = await registryOf(
      { base: [], mid: ['base'], top: ['mid'], side: ['top', 'base'] },
      { top: 'shared', side: 'shared' },
    );
    expect(dependentsOf(deep, 'base')).toEqual({
      schemas: [
        { name: 'mid', direct: true },
        { name: 'side', direct: true },
        { name: 'top', direct: false },
      ],
      services: ['mid-service', 'shared'],
    });
    expect(dependentsOf(deep, 'nope')).toEqual({ schemas: [], services: [] });
  });

  it('finds cycles with their whole path, self-references excluded', async () => {
    const fixture = await validateFixture('cycle');
    expect(findCycles(buildGraph(fixture.registry))).toEqual([['members', 'projects', 'teams', 'members']]);
    const two = await registryOf({ a: ['b'], b: ['a'], c: ['d'], d: ['e'], e: ['c'], f: ['f'] });
    expect(findCycles(buildGraph(two))).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'e', 'c'],
    ]);
  });

  it('handles a 10,000-long reference chain without overflowing the stack', async () => {
    const open = await registryOf(chain(10_000, false));
    const order = migrationOrder(open);
    expect(order).toHaveLength(10_000);
    expect(order[0]).toBe('s09999');
    expect(order.at(-1)).toBe('s00000');
    expect(findCycles(buildGraph(open))).toEqual([]);
    expect(dependentsOf(open, 's09999').schemas).toHaveLength(9_999);

    const closed = await registryOf(chain(10_000, true));
    const [cycle] = findCycles(buildGraph(closed));
    expect(cycle).toHaveLength(10_001);
    expect(cycle?.slice(0, 3)).toEqual(['s00000', 's00001', 's00002']);
    const diagnostics = validateRegistry(closed);
    const first = diagnostics.get('s/s05000.yaml')?.[0];
    expect(first?.code).toBe('cycle');
    expect(first?.message).toBe(
      'Foreign keys form a cycle: s05000 -> s05001 -> s05002 -> s05003 -> s05004 -> s05005 -> s05006 -> s05007 -> s05008 -> s05009 -> s05010 -> … (9989 more) -> s05000',
    );
    expect([...diagnostics.values()].flat()).toHaveLength(10_000);
  });
});
