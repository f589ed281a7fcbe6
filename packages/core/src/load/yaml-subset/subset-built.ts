import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { InlineMapping, InlineScalar, InlineSequence } from './inline-value.js';
import { mapNode, pairNode, scalarNode, seqNode } from './subset-nodes.js';

/** A node the subset built, with its plain data (what `doc.toJS()` gives for it). */
export interface Built {
  node: Scalar | YAMLMap | YAMLSeq;
  data: unknown;
}

/** Thrown inside the parser when the text leaves the subset; caught once at the top. */
export class OutsideSubset extends Error {}
// One instance: leaving the subset is control flow, not a failure worth a stack trace per file.
export const OUTSIDE_SUBSET = new OutsideSubset('outside the YAML subset');

/** Leaves the subset: the caller parses the file with yaml. */
export function outside(): never {
  throw OUTSIDE_SUBSET;
}

// Keys yaml would read as something other than a string, or that plain data must not take as a key.
export const RESERVED_KEYS = new Set([
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  '__proto__',
]);

/** A scalar node with yaml's `[start, valueEnd, nodeEnd]` range. */
export function scalar<T extends string | number | boolean | null>(
  value: T,
  start: number,
  end: number,
  nodeEnd: number,
): Scalar<T> {
  return scalarNode(value, [start, end, nodeEnd]);
}

/** A one-line `[…]` of scalars, its node ending at `nodeEnd`. */
export function flowSeq(value: InlineSequence, nodeEnd: number): Built {
  const seq = seqNode(
    value.items.map((item) => scalar(item.value, item.start, item.end, item.nodeEnd)),
    true,
  );
  seq.range = [value.start, value.end, nodeEnd];
  return { node: seq, data: value.items.map((item) => item.value) };
}

/** A one-line `{…}` at `depth`: pairs of identifier keys and scalars or flow sequences. */
export function flowMap(value: InlineMapping, nodeEnd: number, depth: number, maxDepth: number): Built {
  const map = mapNode<Scalar<string>, unknown>([]);
  const data: Record<string, unknown> = {};
  for (const pair of value.pairs) {
    const name = pair.key.value as string;
    if (RESERVED_KEYS.has(name) || Object.hasOwn(data, name)) outside();
    const key = scalar(name, pair.key.start, pair.key.end, pair.key.end);
    const inner = pair.value;
    if (inner.kind === 'sequence' && depth + 1 > maxDepth) outside();
    const built = inner.kind === 'sequence' ? flowSeq(inner, inner.nodeEnd) : scalarBuilt(inner);
    data[name] = built.data;
    map.items.push(pairNode<Scalar<string>, unknown>(key, built.node));
  }
  map.range = [value.start, value.end, nodeEnd];
  return { node: map, data };
}

function scalarBuilt(item: InlineScalar): Built {
  return { node: scalar(item.value, item.start, item.end, item.nodeEnd), data: item.value };
}
