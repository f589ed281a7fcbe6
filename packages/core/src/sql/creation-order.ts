import type { Schema } from '../model.js';

/** A min-heap of names, so ties in the order break by name without re-sorting. */
class NameHeap {
  private readonly items: string[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: string): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as string) <= item) break;
      [a[parent], a[i]] = [item, a[parent] as string];
      i = parent;
    }
  }
  pop(): string | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let m = i;
      if (l < a.length && (a[l] as string) < (a[m] as string)) m = l;
      if (r < a.length && (a[r] as string) < (a[m] as string)) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i] as string, a[m] as string];
      i = m;
    }
    return top;
  }
}

/**
 * The order to create tables in: referenced tables first, ties by name. Where foreign keys form a cycle,
 * the smallest name still waiting goes next, and its foreign keys to tables not yet created are added
 * afterwards with ALTER TABLE (the caller decides that from the positions). References to schemas outside
 * `schemas` are ignored.
 */
export function creationOrder(schemas: Iterable<Schema>): string[] {
  const byName = new Map<string, Schema>();
  for (const schema of schemas) byName.set(schema.name.value, schema);
  const waitingOn = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const [name, schema] of byName) {
    const targets = new Set(schema.references.map((r) => r.schema.value).filter((t) => t !== name && byName.has(t)));
    waitingOn.set(name, targets);
    for (const target of targets) dependents.set(target, [...(dependents.get(target) ?? []), name]);
  }
  const ready = new NameHeap();
  for (const [name, targets] of waitingOn) if (targets.size === 0) ready.push(name);
  const order: string[] = [];
  const done = new Set<string>();
  const remaining = [...byName.keys()].sort();
  let cursor = 0;
  while (order.length < byName.size) {
    let next = ready.pop();
    if (next === undefined) {
      // A cycle: break it at the smallest name not yet placed.
      while (cursor < remaining.length && done.has(remaining[cursor] ?? '')) cursor++;
      next = remaining[cursor];
      if (next === undefined) break;
    }
    if (done.has(next)) continue;
    done.add(next);
    order.push(next);
    for (const dependent of dependents.get(next) ?? []) {
      const targets = waitingOn.get(dependent);
      if (!targets?.delete(next) || done.has(dependent)) continue;
      if (targets.size === 0) ready.push(dependent);
    }
  }
  return order;
}
