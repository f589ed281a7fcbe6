import type { Pair } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';

/** A node found by a JSON pointer, with the pair and sequence that hold it (for choosing a range). */
export interface NodeAtPath {
  node: unknown;
  /** The pair whose value the node is, when it sits in a mapping. */
  pair?: Pair<unknown, unknown>;
  /** True when the node is an item of a sequence. */
  inSequence: boolean;
}

/** Follows an ajv `instancePath` (`/columns/2/type`) through the yaml AST. */
export function nodeAtPath(root: unknown, instancePath: string): NodeAtPath {
  let found: NodeAtPath = { node: root, inSequence: false };
  if (instancePath === '') return found;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const { node } = found;
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : item.key) === segment);
      if (!pair) return found;
      found = { node: pair.value, pair, inSequence: false };
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined) return found;
      found = { node: item, inSequence: true };
    } else {
      return found;
    }
  }
  return found;
}
