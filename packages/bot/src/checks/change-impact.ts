import { buildGraph } from '@aegis/core';
import type { Registry } from '@aegis/core';

/**
 * The schemas that depend on `name` (directly or through others) and their owner services. Interim: built
 * on core's `buildGraph` until core's `dependentsOf` lands, then this delegates to it.
 */
export function dependentsOfChange(
  registry: Registry,
  name: string,
): { schemas: { name: string; direct: boolean }[]; services: string[] } {
  const graph = buildGraph(registry);
  const direct = new Set(graph.dependents(name));
  const seen = new Set<string>();
  const queue = [...direct];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (seen.has(next) || next === name) continue;
    seen.add(next);
    queue.push(...graph.dependents(next));
  }
  const schemas = [...seen].sort().map((n) => ({ name: n, direct: direct.has(n) }));
  const services = [
    ...new Set(schemas.map((s) => registry.schemas.get(s.name)?.owner?.value).filter((o): o is string => !!o)),
  ].sort();
  return { schemas, services };
}

/**
 * A Mermaid `erDiagram` of one schema and its direct neighbours: the part of the model a change touches.
 * Interim until core's `renderErd(registry, { focus, depth: 1 })` lands.
 */
export function changeErd(registry: Registry, name: string): string {
  const graph = buildGraph(registry);
  const names = new Set([name, ...graph.dependencies(name), ...graph.dependents(name)]);
  const lines = ['erDiagram'];
  for (const n of [...names].sort()) {
    const schema = registry.schemas.get(n);
    if (!schema) continue;
    lines.push(`  ${n} {`);
    for (const c of schema.columns) {
      const type = c.type.value.replace(/[^A-Za-z0-9_]/g, '_');
      lines.push(`    ${type} ${c.name.value}${c.primaryKey ? ' PK' : ''}`);
    }
    lines.push('  }');
  }
  for (const n of [...names].sort()) {
    for (const ref of registry.schemas.get(n)?.references ?? []) {
      if (names.has(ref.schema.value)) lines.push(`  ${ref.schema.value} ||--o{ ${n} : "${ref.foreignKey.value}"`);
    }
  }
  return lines.join('\n');
}
