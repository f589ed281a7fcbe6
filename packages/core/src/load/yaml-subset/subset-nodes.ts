import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

type NodeRange = [number, number, number];

// yaml tells its nodes apart by these registered symbols (`isScalar(node)` is `node[NODE_TYPE] === SCALAR`),
// so nodes that carry them are read by core's code exactly as yaml's own. Set once on each prototype: yaml's
// constructors define the property on every instance, a tenth of the subset's time per file.
const NODE_TYPE = Symbol.for('yaml.node.type');

function tagged<T extends object>(kind: string, prototype: T): T {
  Object.defineProperty(prototype, NODE_TYPE, { value: Symbol.for(`yaml.${kind}`) });
  return prototype;
}

class SubsetScalar {
  constructor(
    readonly value: unknown,
    readonly range: NodeRange,
  ) {}
}
tagged('scalar', SubsetScalar.prototype);

class SubsetCollection {
  constructor(
    readonly items: unknown[],
    public range: NodeRange,
    readonly flow?: boolean,
  ) {}
}
class SubsetMap extends SubsetCollection {}
tagged('map', SubsetMap.prototype);
class SubsetSeq extends SubsetCollection {}
tagged('seq', SubsetSeq.prototype);

class SubsetPair {
  constructor(
    readonly key: unknown,
    readonly value: unknown,
  ) {}
}
tagged('pair', SubsetPair.prototype);

/** A scalar node as yaml's `isScalar` and core's readers see it (`value`, `range`). */
export function scalarNode<T>(value: T, range: NodeRange): Scalar<T> {
  return new SubsetScalar(value, range) as unknown as Scalar<T>;
}

/** A mapping node (`items` of pairs); its range is set once its last item is read. */
export function mapNode<K, V>(items: Pair<K, V>[]): YAMLMap<K, V> {
  return new SubsetMap(items, [0, 0, 0]) as unknown as YAMLMap<K, V>;
}

/** A sequence node; `flow` for `[…]`. Its range is set once its last item is read. */
export function seqNode(items: unknown[], flow = false): YAMLSeq {
  return new SubsetSeq(items, [0, 0, 0], flow) as unknown as YAMLSeq;
}

/** A `key: value` pair. */
export function pairNode<K, V>(key: K, value: V): Pair<K, V> {
  return new SubsetPair(key, value) as unknown as Pair<K, V>;
}
