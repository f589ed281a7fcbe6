/** What a line holds, as far as block structure goes. */
export type LineKind = 'blank' | 'comment' | 'content';

/** One line of a file, by offsets into its text. */
export interface SubsetLine {
  kind: LineKind;
  /** Leading spaces. */
  indent: number;
  /** Offset of the first character that is not a space (the line's end when blank). */
  content: number;
  /** Offset of the line's break (`\n`, or the `\r` of `\r\n`), or the text's length on a last line without one. */
  end: number;
  /** Offset after the break: where the next line starts (the text's length on the last line). */
  next: number;
}

// Characters whose handling the subset does not copy from yaml (tabs, a `\r` that does not start a `\r\n` —
// yaml reads a lone one as part of a scalar, not as a line break —, control and non-characters, lone or
// paired surrogates, Unicode line separators, a BOM inside the text): any of them sends the whole file to the
// full parser. `\r\n` is a line break like `\n`, on any line (a file may mix both).
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const OUTSIDE = /[\t\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]|\r(?!\n)/;

/** The file's lines, or undefined when the text holds a character the subset leaves to yaml. */
export function subsetLines(text: string): SubsetLine[] | undefined {
  if (OUTSIDE.test(text)) return undefined;
  const lines: SubsetLine[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    // A `\r` is only ever here before a `\n` (OUTSIDE): the line's text ends before it.
    const end = newline === -1 ? text.length : text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
    let content = start;
    while (content < end && text.charCodeAt(content) === 0x20) content++;
    const kind = content === end ? 'blank' : text[content] === '#' ? 'comment' : 'content';
    const next = newline === -1 ? text.length : newline + 1;
    lines.push({ kind, indent: content - start, content, end, next });
    start = next;
  }
  return lines;
}
