import type { InlineScalar } from './inline-scalar.js';
import { INDICATORS, quoted, skipSpaces } from './inline-scalar.js';
import { plainScalarValue } from './plain-scalar-value.js';

/** A flow sequence of scalars on one line (`[created_at, id]`). */
export interface InlineSequence {
  kind: 'sequence';
  items: InlineScalar[];
  start: number;
  /** After the closing `]`. */
  end: number;
}

/** A flow mapping on one line (`{ name: id, type: UUID, columns: [a, b] }`). */
export interface InlineMapping {
  kind: 'mapping';
  pairs: { key: InlineScalar; value: InlineScalar | (InlineSequence & { nodeEnd: number }) }[];
  start: number;
  /** After the closing `}`. */
  end: number;
}

// Inside `[…]` or `{…}` a plain scalar ends at `,`, `]` or `}`; these would start something the subset leaves
// to yaml (nested collections, pairs, comments, quotes inside plain text).
const FLOW_STOP = new Set([...'[]{},:#\'"']);

/** `[a, b]` from the `[` at `from`; its items plain or quoted scalars. */
export function flowSequence(text: string, from: number, lineEnd: number): InlineSequence | undefined {
  const items: InlineScalar[] = [];
  let i = skipSpaces(text, from + 1, lineEnd);
  if (text[i] === ']') return { kind: 'sequence', items, start: from, end: i + 1 };
  for (;;) {
    const item = flowScalar(text, i, lineEnd);
    if (!item) return undefined;
    items.push(item);
    i = item.nodeEnd;
    if (text[i] === ']') return { kind: 'sequence', items, start: from, end: i + 1 };
    if (text[i] !== ',') return undefined;
    i = skipSpaces(text, i + 1, lineEnd);
  }
}

/** `{k: v, …}` from the `{` at `from`; keys are identifiers, values scalars or flow sequences of scalars. */
export function flowMapping(text: string, from: number, lineEnd: number): InlineMapping | undefined {
  const pairs: InlineMapping['pairs'] = [];
  let i = skipSpaces(text, from + 1, lineEnd);
  if (text[i] === '}') return { kind: 'mapping', pairs, start: from, end: i + 1 };
  for (;;) {
    const key = flowKey(text, i, lineEnd);
    if (!key) return undefined;
    const valueAt = skipSpaces(text, key.end + 1, lineEnd);
    const value = text[valueAt] === '[' ? nestedSequence(text, valueAt, lineEnd) : flowScalar(text, valueAt, lineEnd);
    if (!value) return undefined;
    pairs.push({ key, value });
    i = value.nodeEnd;
    if (text[i] === '}') return { kind: 'mapping', pairs, start: from, end: i + 1 };
    if (text[i] !== ',') return undefined;
    i = skipSpaces(text, i + 1, lineEnd);
  }
}

/** An identifier directly followed by `: ` (the subset's keys). */
function flowKey(text: string, from: number, lineEnd: number): InlineScalar | undefined {
  let end = from;
  while (end < lineEnd && /[A-Za-z0-9_]/.test(text[end] ?? '')) end++;
  if (end === from || /[0-9]/.test(text[from] ?? '') || text[end] !== ':' || text[end + 1] !== ' ') return undefined;
  return { kind: 'scalar', value: text.slice(from, end), start: from, end, nodeEnd: end };
}

function nestedSequence(
  text: string,
  from: number,
  lineEnd: number,
): (InlineSequence & { nodeEnd: number }) | undefined {
  const seq = flowSequence(text, from, lineEnd);
  return seq && { ...seq, nodeEnd: skipSpaces(text, seq.end, lineEnd) };
}

/** A plain or quoted scalar inside a flow collection; its node ends where the next `,`, `]` or `}` is. */
function flowScalar(text: string, from: number, lineEnd: number): InlineScalar | undefined {
  const quotedScalar = quoted(text, from, lineEnd);
  if (quotedScalar) return { ...quotedScalar, nodeEnd: skipSpaces(text, quotedScalar.end, lineEnd) };
  if (INDICATORS.has(text[from] ?? ',')) return undefined;
  let end = from;
  let i = from;
  for (; i < lineEnd; i++) {
    const c = text[i] as string;
    if (c === ',' || c === ']' || c === '}') break;
    if (FLOW_STOP.has(c)) return undefined;
    if (c !== ' ') end = i + 1;
  }
  if (i === lineEnd) return undefined;
  const resolved = plainScalarValue(text.slice(from, end));
  return resolved && { kind: 'scalar', value: resolved.value, start: from, end, nodeEnd: i };
}
