// Stand-ins for core functions of docs/contract.md that have not landed in packages/core yet
// (dependentsOf, renderErd). Same signatures as the contract; removed once core exports them.
import type { Registry } from '@aegis/core';

/** Schemas depending on `name` through foreign keys (direct or transitive) and the services owning them. */
export function dependentsOf(registry: Registry, name: string): { schemas: { name: string; direct: boolean }[]; services: string[] } {
  const referencedBy = new Map<string, Set<string>>();
  for (const schema of registry.schemas.values()) {
    for (const ref of schema.references) {
      if (ref.schema.value === schema.name.value) continue;
      const set = referencedBy.get(ref.schema.value) ?? new Set<string>();
      set.add(schema.name.value);
      referencedBy.set(ref.schema.value, set);
    }
  }
  const direct = referencedBy.get(name) ?? new Set<string>();
  const seen = new Set<string>([name]);
  const queue = [name];
  while (queue.length > 0) {
    for (const dependent of referencedBy.get(queue.pop() ?? '') ?? []) {
      if (!seen.has(dependent)) {
        seen.add(dependent);
        queue.push(dependent);
      }
    }
  }
  seen.delete(name);
  const schemas = [...seen].sort().map((n) => ({ name: n, direct: direct.has(n) }));
  const own = registry.schemas.get(name)?.owner?.value;
  const services = new Set<string>();
  for (const s of schemas) {
    const owner = registry.schemas.get(s.name)?.owner?.value;
    if (owner && owner !== own) services.add(owner);
  }
  return { schemas, services: [...services].sort() };
}

/** A Mermaid erDiagram of the registry, or of `focus` and the schemas within `depth` foreign-key hops. */
export function renderErd(registry: Registry, options: { focus?: string; depth?: number } = {}): string {
  let included = new Set(registry.schemas.keys());
  if (options.focus !== undefined) {
    const neighbours = new Map<string, Set<string>>();
    const link = (a: string, b: string): void => {
      neighbours.set(a, (neighbours.get(a) ?? new Set()).add(b));
    };
    for (const s of registry.schemas.values()) {
      for (const r of s.references) {
        link(s.name.value, r.schema.value);
        link(r.schema.value, s.name.value);
      }
    }
    included = new Set([options.focus]);
    let frontier = [options.focus];
    for (let hop = 0; hop < (options.depth ?? 1); hop++) {
      frontier = frontier.flatMap((n) => [...(neighbours.get(n) ?? [])].filter((m) => !included.has(m) && registry.schemas.has(m)));
      for (const n of frontier) included.add(n);
    }
  }
  const lines = ['erDiagram'];
  const safe = (type: string): string => type.replace(/[^A-Za-z0-9_]/g, '_');
  for (const name of [...included].sort()) {
    const schema = registry.schemas.get(name);
    if (!schema) continue;
    lines.push(`  ${name} {`);
    for (const c of schema.columns) lines.push(`    ${safe(c.type.value)} ${c.name.value}${c.primaryKey ? ' PK' : ''}`);
    lines.push('  }');
  }
  for (const name of [...included].sort()) {
    for (const r of registry.schemas.get(name)?.references ?? []) {
      if (included.has(r.schema.value)) lines.push(`  ${r.schema.value} ||--o{ ${name} : "${r.foreignKey.value}"`);
    }
  }
  return `${lines.join('\n')}\n`;
}
