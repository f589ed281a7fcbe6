/**
 * Finds positions in a text by what is written there, so tests never hard-code line numbers that rot:
 *
 *   locate(text).line('schema: user').after('schema: ')      // → { line, character } just after the prefix
 *   locate(text).line('schema: user').range('user')          // → the range of `user` on that line
 *   locate(text).line('name: id', 2).range('id')             // the second line containing `name: id`
 *
 * Lines are 0-based and characters count UTF-16 code units, as in LSP and core's diagnostics.
 */
import type { Position, Range } from '@aegis/core';

export type { Position, Range };

/** One located line, and positions on it. */
export interface LocatedLine {
  /** The 0-based line number. */
  readonly line: number;
  /** The line's text (without the line break). */
  readonly text: string;
  /** Where `token` starts on this line (its `nth` occurrence, 1-based). */
  at(token: string, nth?: number): Position;
  /** Just after `token` on this line. */
  after(token: string, nth?: number): Position;
  /** The range covering `token` on this line. */
  range(token: string, nth?: number): Range;
  /** From the first non-blank character (after a leading `- `, if any) to the end of the line, trailing blanks excluded. */
  content(): Range;
  /** The empty range at the start of the line. */
  start(): Range;
}

/** Positions in `text`, found by the text around them. */
export interface Locator {
  /** The `nth` (1-based, default 1) line that contains `fragment`; throws when there is none. */
  line(fragment: string, nth?: number): LocatedLine;
  /** The range of `token` where it first occurs in the whole text (its `nth` occurrence). */
  range(token: string, nth?: number): Range;
}

export function locate(text: string): Locator {
  const lines = text.split(/\r?\n/);
  return {
    line(fragment, nth = 1) {
      let seen = 0;
      for (let i = 0; i < lines.length; i++) {
        if ((lines[i] ?? '').includes(fragment) && ++seen === nth) return locatedLine(i, lines[i] ?? '');
      }
      throw new Error(`locate: no line #${nth} containing ${JSON.stringify(fragment)}`);
    },
    range(token, nth = 1) {
      let seen = 0;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? '';
        for (let from = line.indexOf(token); from >= 0; from = line.indexOf(token, from + 1)) {
          if (++seen === nth)
            return { start: { line: i, character: from }, end: { line: i, character: from + token.length } };
        }
      }
      throw new Error(`locate: no occurrence #${nth} of ${JSON.stringify(token)}`);
    },
  };
}

function locatedLine(line: number, text: string): LocatedLine {
  const find = (token: string, nth = 1): number => {
    let from = -1;
    for (let k = 0; k < nth; k++) {
      from = text.indexOf(token, from + 1);
      if (from < 0)
        throw new Error(`locate: ${JSON.stringify(token)} #${nth} not on line ${line}: ${JSON.stringify(text)}`);
    }
    return from;
  };
  return {
    line,
    text,
    at: (token, nth) => ({ line, character: find(token, nth) }),
    after: (token, nth) => ({ line, character: find(token, nth) + token.length }),
    range: (token, nth) => {
      const start = find(token, nth);
      return { start: { line, character: start }, end: { line, character: start + token.length } };
    },
    content: () => {
      const start = /^\s*(?:- )?/.exec(text)?.[0].length ?? 0;
      return { start: { line, character: start }, end: { line, character: text.trimEnd().length } };
    },
    start: () => ({ start: { line, character: 0 }, end: { line, character: 0 } }),
  };
}
