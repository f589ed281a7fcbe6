import type { Position, Range } from 'vscode-languageserver-protocol';

/**
 * Positions found from the text, never hard-coded: `at(text, 'schema: users', 'users')` is the start of
 * `users` inside the first line containing `schema: users`; `occurrence` picks a later match of `line`.
 */
export function rangeOf(text: string, line: string, word = line, occurrence = 0): Range {
  let from = -1;
  for (let i = 0; i <= occurrence; i++) {
    from = text.indexOf(line, from + 1);
    if (from < 0) throw new Error(`'${line}' (#${occurrence}) not found`);
  }
  const offset = text.indexOf(word, from);
  if (offset < 0 || offset > from + line.length) throw new Error(`'${word}' not inside '${line}'`);
  return { start: positionAt(text, offset), end: positionAt(text, offset + word.length) };
}

/** The start of `word` within the `occurrence`-th line containing `line`. */
export function at(text: string, line: string, word = line, occurrence = 0): Position {
  return rangeOf(text, line, word, occurrence).start;
}

/** The position just after `line`'s `occurrence`-th match: a cursor at the end of typed text. */
export function after(text: string, line: string, occurrence = 0): Position {
  return rangeOf(text, line, line, occurrence).end;
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
