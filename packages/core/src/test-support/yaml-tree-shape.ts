import { isMap, isPair, isScalar, isSeq } from 'yaml';

/**
 * What core reads of a yaml node — its kind, value, range, and children — as plain data, so the subset's
 * tree and yaml's can be compared with one deep equality (tests; the subset must agree exactly).
 */
export function yamlTreeShape(node: unknown): unknown {
  if (isScalar(node)) return { scalar: node.value, range: node.range };
  if (isMap(node)) return { map: node.items.map(yamlTreeShape), range: node.range };
  if (isSeq(node)) return { seq: node.items.map(yamlTreeShape), range: node.range };
  if (isPair(node)) return { key: yamlTreeShape(node.key), value: yamlTreeShape(node.value) };
  return { other: node === null ? null : typeof node };
}
