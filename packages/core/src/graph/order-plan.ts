import type { Registry } from '../model.js';
import { findCycles } from './find-cycles.js';
import { buildGraph } from './graph.js';
import { migrationOrder } from './migration-order.js';

/** A foreign key that cannot be created with its table: it is added once the table it references exists. */
export interface DeferredForeignKey {
  schema: string;
  foreignKey: string;
  references: string;
  column: string;
}

/** `migrationOrder` with what a cycle does to it: the cycles, and the foreign keys the order defers. */
export interface OrderPlan {
  order: string[];
  /** Each cycle closed (`['a', 'b', 'a']`), as validation reports them. */
  cycles: string[][];
  /**
   * Foreign keys whose target comes later in the order (only cycles cause them): the tables are created
   * without them and they are added afterwards (`ALTER TABLE … ADD CONSTRAINT`, as `aegis migrate` does).
   * Self-references are not listed: a table can reference itself.
   */
  deferred: DeferredForeignKey[];
}

/** The creation order, the cycles in it and how the order breaks them (deferred foreign keys). Pure. */
export function orderPlan(registry: Registry): OrderPlan {
  const order = migrationOrder(registry);
  const position = new Map(order.map((name, i) => [name, i]));
  const deferred: DeferredForeignKey[] = [];
  for (const name of order) {
    for (const ref of registry.schemas.get(name)?.references ?? []) {
      const target = ref.schema.value;
      const at = position.get(target);
      if (target === name || at === undefined || at < (position.get(name) ?? 0)) continue;
      deferred.push({ schema: name, foreignKey: ref.foreignKey.value, references: target, column: ref.column.value });
    }
  }
  return { order, cycles: findCycles(buildGraph(registry)), deferred };
}
