import type { InlineMapping, InlineSequence } from './flow-collection.js';
import { flowMapping, flowSequence } from './flow-collection.js';
import type { InlineScalar } from './inline-scalar.js';
import { INDICATORS, quoted, restIsComment } from './inline-scalar.js';
import { plainScalarValue } from './plain-scalar-value.js';

export type { InlineMapping, InlineSequence } from './flow-collection.js';
export type { InlineScalar } from './inline-scalar.js';

export type InlineValue = InlineScalar | InlineSequence | InlineMapping;

/**
 * The value written from `from` to the end of its line (`lineEnd`): a plain or quoted scalar, or a flow
 * sequence or mapping of scalars, followed by nothing but spaces and a comment. Undefined for anything else
 * (multi-line scalars, escapes, nested flow mappings, anchors, tags, block scalars …): yaml reads those.
 */
export function inlineValue(text: string, from: number, lineEnd: number): InlineValue | undefined {
  const first = text[from] ?? '';
  const value =
    first === '['
      ? flowSequence(text, from, lineEnd)
      : first === '{'
        ? flowMapping(text, from, lineEnd)
        : first === '"' || first === "'"
          ? quoted(text, from, lineEnd)
          : undefined;
  if (value) return restIsComment(text, value.end, lineEnd) ? value : undefined;
  if (INDICATORS.has(first)) return undefined;
  return plainScalar(text, from, lineEnd);
}

function plainScalar(text: string, from: number, lineEnd: number): InlineScalar | undefined {
  let end = from;
  for (let i = from; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23 /* # */ && text.charCodeAt(i - 1) === 0x20) break;
    // `: ` or a final `:` would make a mapping (an error on a value's line): yaml reports it.
    if (c === 0x3a /* : */ && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 0x20)) return undefined;
    if (c !== 0x20) end = i + 1;
  }
  const resolved = plainScalarValue(text.slice(from, end));
  return resolved && { kind: 'scalar', value: resolved.value, start: from, end, nodeEnd: end };
}
