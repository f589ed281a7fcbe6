import type { ErrorObject } from 'ajv';
import { isMap, isScalar } from 'yaml';
import type { Diagnostic } from '../diagnostic.js';
import type { YamlTree } from '../load/yaml-tree.js';
import type { RangeMapper } from '../load/range-mapper.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Range } from '../position.js';
import { compiledValidators } from './compiled-validators.js';
import { nodeAtPath } from './node-at-path.js';
import { violationText } from './violation-message.js';

/**
 * Checks a parsed file against the JSON Schema (schema file or registry metadata) and reports every
 * violation as `invalid-field` on the exact YAML node: an unknown field on its key, a missing field on the
 * item (or the document's first line), anything else on the offending value.
 */
export function jsonSchemaDiagnostics(
  file: string,
  doc: YamlTree,
  data: unknown,
  ranges: RangeMapper,
  metadata: boolean,
): Diagnostic[] {
  const validators = compiledValidators();
  const validate = metadata ? validators.registryFile : validators.schemaFile;
  if (validate(data)) return [];
  return (validate.errors ?? []).filter(isReportable).map((error) => {
    const text = violationText(error, data, metadata);
    return makeDiagnostic('invalid-field', file, violationRange(error, doc, ranges), text.message, {
      hint: text.hint,
      ...(text.suggestion === undefined ? {} : { data: { suggestion: text.suggestion } }),
    });
  });
}

// `if`/`anyOf` wrappers repeat what their branches already said.
function isReportable(error: ErrorObject): boolean {
  return error.keyword !== 'if' && error.keyword !== 'anyOf' && error.keyword !== 'oneOf';
}

function violationRange(error: ErrorObject, doc: YamlTree, ranges: RangeMapper): Range {
  const found = nodeAtPath(doc.contents, error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties' && isMap(found.node)) {
    const pair = found.node.items.find(
      (item) => isScalar(item.key) && String(item.key.value) === params.additionalProperty,
    );
    if (pair) return ranges.node(pair.key);
  }
  if (error.keyword === 'required') {
    if (found.pair) return ranges.node(found.pair.key);
    return firstLine(found.node, ranges);
  }
  // An empty value (`columns:` and nothing) has no text of its own: point at its key.
  if (found.pair && isScalar(found.node) && found.node.value === null && isEmpty(found.node))
    return ranges.node(found.pair.key);
  return ranges.node(found.node);
}

/** From the node's start to the end of its first line: the head of a list item or of the document. */
function firstLine(node: unknown, ranges: RangeMapper): Range {
  const whole = ranges.node(node);
  if (isMap(node) && node.items[0]) {
    const head = node.items[0];
    const end = ranges.node(head.value ?? head.key).end;
    if (end.line === whole.start.line) return { start: whole.start, end };
    return ranges.node(head.key);
  }
  return whole.start.line === whole.end.line ? whole : { start: whole.start, end: whole.start };
}

function isEmpty(node: { range?: [number, number, number] | null }): boolean {
  return !node.range || node.range[0] === node.range[1];
}
