import { plainScalarValue } from './plain-scalar-value.js';

type ScalarValue = string | number | boolean | null;

/** A scalar written on one line: its value, where its text starts and ends, and where its tokens end. */
export interface InlineScalar {
  kind: 'scalar';
  value: ScalarValue;
  start: number;
  end: number;
  /** Inside a flow sequence: the `,` or `]` after it (yaml counts the spaces before it as the node's). */
  nodeEnd: number;
}

/** A flow sequence of plain scalars on one line (`[created_at, id]`). */
export interface InlineSequence {
  kind: 'sequence';
  items: InlineScalar[];
  start: number;
  /** After the closing `]`. */
  end: number;
}

export type InlineValue = InlineScalar | InlineSequence;

// Characters that start something other than a plain scalar (YAML 1.2 §7.3.3, c-indicator).
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

/**
 * The value written from `from` to the end of its line (`lineEnd`): a plain or quoted scalar, or a flow
 * sequence of plain scalars, followed by nothing but spaces and a comment. Undefined for anything else
 * (multi-line scalars, escapes, flow mappings, anchors, tags, block scalars …): yaml reads those.
 */
export function inlineValue(text: string, from: number, lineEnd: number): InlineValue | undefined {
  const first = text[from] ?? '';
  if (first === '[') return flowSequence(text, from, lineEnd);
  if (first === '"' || first === "'") {
    const quoted = first === '"' ? doubleQuoted(text, from, lineEnd) : singleQuoted(text, from, lineEnd);
    return quoted && restIsComment(text, quoted.end, lineEnd) ? quoted : undefined;
  }
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

function doubleQuoted(text: string, from: number, lineEnd: number): InlineScalar | undefined {
  const close = text.indexOf('"', from + 1);
  if (close === -1 || close >= lineEnd) return undefined;
  const value = text.slice(from + 1, close);
  // Escapes are yaml's to decode.
  if (value.includes('\\')) return undefined;
  return { kind: 'scalar', value, start: from, end: close + 1, nodeEnd: close + 1 };
}

function singleQuoted(text: string, from: number, lineEnd: number): InlineScalar | undefined {
  let i = from + 1;
  for (;;) {
    const close = text.indexOf("'", i);
    if (close === -1 || close >= lineEnd) return undefined;
    if (text[close + 1] !== "'") {
      const value = text.slice(from + 1, close).replaceAll("''", "'");
      return { kind: 'scalar', value, start: from, end: close + 1, nodeEnd: close + 1 };
    }
    i = close + 2;
  }
}

/** Only spaces, then optionally a comment set off by at least one space, up to the line's end. */
function restIsComment(text: string, from: number, lineEnd: number): boolean {
  let i = from;
  while (i < lineEnd && text.charCodeAt(i) === 0x20) i++;
  return i === lineEnd || (text[i] === '#' && i > from);
}

// Inside `[…]` a plain scalar ends at `,` or `]`; these would start something the subset does not read.
const FLOW_STOP = new Set([...'[]{},:#\'"']);

function flowSequence(text: string, from: number, lineEnd: number): InlineSequence | undefined {
  const items: InlineScalar[] = [];
  let i = skipSpaces(text, from + 1, lineEnd);
  if (text[i] === ']') return closeSequence(text, from, i, lineEnd, items);
  for (;;) {
    const item = flowItem(text, i, lineEnd);
    if (!item) return undefined;
    items.push(item);
    i = item.nodeEnd;
    if (text[i] === ']') return closeSequence(text, from, i, lineEnd, items);
    if (text[i] !== ',') return undefined;
    i = skipSpaces(text, i + 1, lineEnd);
  }
}

function flowItem(text: string, from: number, lineEnd: number): InlineScalar | undefined {
  if (INDICATORS.has(text[from] ?? ',')) return undefined;
  let end = from;
  let i = from;
  for (; i < lineEnd; i++) {
    const c = text[i] as string;
    if (c === ',' || c === ']') break;
    if (FLOW_STOP.has(c)) return undefined;
    if (c !== ' ') end = i + 1;
  }
  if (i === lineEnd) return undefined;
  const resolved = plainScalarValue(text.slice(from, end));
  return resolved && { kind: 'scalar', value: resolved.value, start: from, end, nodeEnd: i };
}

function closeSequence(
  text: string,
  from: number,
  bracket: number,
  lineEnd: number,
  items: InlineScalar[],
): InlineSequence | undefined {
  const end = bracket + 1;
  return restIsComment(text, end, lineEnd) ? { kind: 'sequence', items, start: from, end } : undefined;
}

function skipSpaces(text: string, from: number, lineEnd: number): number {
  let i = from;
  while (i < lineEnd && text.charCodeAt(i) === 0x20) i++;
  return i;
}
