type ScalarValue = string | number | boolean | null;

/** A scalar written on one line: its value, where its text starts and ends, and where its tokens end. */
export interface InlineScalar {
  kind: 'scalar';
  value: ScalarValue;
  start: number;
  end: number;
  /** Inside a flow collection: the `,`, `]` or `}` after it (yaml counts the spaces before it as the node's). */
  nodeEnd: number;
}

// Characters that start something other than a plain scalar (YAML 1.2 §7.3.3, c-indicator).
export const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

/** A `"…"` scalar closed on its line, without escapes (yaml decodes those). */
export function doubleQuoted(text: string, from: number, lineEnd: number): InlineScalar | undefined {
  const close = text.indexOf('"', from + 1);
  if (close === -1 || close >= lineEnd) return undefined;
  const value = text.slice(from + 1, close);
  if (value.includes('\\')) return undefined;
  return { kind: 'scalar', value, start: from, end: close + 1, nodeEnd: close + 1 };
}

/** A `'…'` scalar closed on its line (`''` is a quote). */
export function singleQuoted(text: string, from: number, lineEnd: number): InlineScalar | undefined {
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

/** A quoted scalar starting at `from`, if one starts there. */
export function quoted(text: string, from: number, lineEnd: number): InlineScalar | undefined {
  const first = text[from];
  if (first === '"') return doubleQuoted(text, from, lineEnd);
  return first === "'" ? singleQuoted(text, from, lineEnd) : undefined;
}

/** Only spaces, then optionally a comment set off by at least one space, up to the line's end. */
export function restIsComment(text: string, from: number, lineEnd: number): boolean {
  const i = skipSpaces(text, from, lineEnd);
  return i === lineEnd || (text[i] === '#' && i > from);
}

export function skipSpaces(text: string, from: number, lineEnd: number): number {
  let i = from;
  while (i < lineEnd && text.charCodeAt(i) === 0x20) i++;
  return i;
}
