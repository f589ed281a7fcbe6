import type { Registry } from '../model.js';

/**
 * Returns a lookup of the services that own schemas depending on a schema through foreign keys, directly
 * or transitively, apart from the schema's own owner: who to warn when it breaks. The reverse edges are
 * built once, so asking for many schemas stays linear.
 */
export function dependentServices(registry: Registry): (name: string) => string[] {
  const referencedBy = new Map<string, string[]>();
  for (const schema of registry.schemas.values()) {
    for (const reference of schema.references) {
      const list = referencedBy.get(reference.schema.value) ?? [];
      list.push(schema.name.value);
      referencedBy.set(reference.schema.value, list);
    }
  }
  return (name) => {
    const seen = new Set<string>([name]);
    const queue = [name];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const dependent of referencedBy.get(next) ?? []) {
        if (seen.has(dependent)) continue;
        seen.add(dependent);
        queue.push(dependent);
      }
    }
    const own = registry.schemas.get(name)?.owner?.value;
    const services = new Set<string>();
    for (const schema of seen) {
      const owner = registry.schemas.get(schema)?.owner?.value;
      if (schema !== name && owner && owner !== own) services.add(owner);
    }
    return [...services].sort();
  };
}
