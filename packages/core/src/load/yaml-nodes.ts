import type { Pair } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Spanned } from '../model.js';
import type { RangeMapper } from './range-mapper.js';

/** A mapping's pairs by key text (first one wins). A `Map`, so keys such as `__proto__` stay plain data. */
export function pairsByKey(node: unknown): Map<string, Pair<unknown, unknown>> {
  const pairs = new Map<string, Pair<unknown, unknown>>();
  if (!isMap(node)) return pairs;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key === 'string' && !pairs.has(key)) pairs.set(key, pair);
  }
  return pairs;
}

/** The items of a sequence node; nothing for anything else. */
export function seqItems(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

/** A string scalar with its range, or undefined when the node is missing or not a string. */
export function spannedString(node: unknown, ranges: RangeMapper): Spanned<string> | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  return { value: node.value, range: ranges.node(node) };
}

/** The value of a scalar node of the given JS type, else undefined. */
export function scalarOf<T extends 'string' | 'boolean'>(
  node: unknown,
  type: T,
): (T extends 'string' ? string : boolean) | undefined {
  if (!isScalar(node) || typeof node.value !== type) return undefined;
  return node.value as T extends 'string' ? string : boolean;
}

/** A scalar's value as text (defaults may be written as numbers or booleans). */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
