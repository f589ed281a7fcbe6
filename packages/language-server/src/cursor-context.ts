import type { Position, Range } from '@aegis/core';

/** The part of a schema file the cursor is in: a top-level key, or a list item of one of the lists. */
export type Section = 'top' | 'columns' | 'references' | 'indexes' | 'version_history' | 'other';

/** What is being typed at the cursor, read from the text alone (it is usually not valid YAML yet). */
export type CursorContext =
  | { kind: 'key'; section: Section; range: Range; prefix: string }
  | { kind: 'value'; section: Section; key: string; range: Range; prefix: string; needsSpace: boolean; item: string[] };

const SECTIONS = new Set<Section>(['columns', 'references', 'indexes', 'version_history']);
const indentOf = (line: string): number => line.length - line.trimStart().length;

function sectionAt(lines: string[], line: number): Section {
  for (let i = line; i >= 0; i--) {
    const match = /^([A-Za-z_][\w]*)\s*:/.exec(lines[i] ?? '');
    if (match) return SECTIONS.has(match[1] as Section) ? (match[1] as Section) : i === line ? 'top' : 'other';
  }
  return 'top';
}

/** The lines of the list item around `line` (from its `- ` to the next item or section), for sibling keys. */
function itemLines(lines: string[], line: number): string[] {
  const current = lines[line] ?? '';
  if (current.includes('{')) return [current];
  let start = line;
  while (start > 0 && !/^\s*-\s/.test(lines[start] ?? '') && indentOf(lines[start] ?? '') > 0) start--;
  const itemIndent = indentOf(lines[start] ?? '');
  let end = line + 1;
  while (end < lines.length) {
    const text = lines[end] ?? '';
    if (text.trim() !== '' && (indentOf(text) < itemIndent || (indentOf(text) === itemIndent && /^\s*-\s/.test(text))))
      break;
    end++;
  }
  return lines.slice(start, end);
}

/** The key owning a block-list entry `- x` on `line`: the nearest `key:` line above at a smaller or equal indent. */
function parentKey(lines: string[], line: number): { key: string; indent: number } | undefined {
  const indent = indentOf(lines[line] ?? '');
  for (let i = line - 1; i >= 0; i--) {
    const text = lines[i] ?? '';
    if (text.trim() === '') continue;
    const match = /^(\s*)(?:-\s+)?([a-z_]+):\s*$/.exec(text);
    if (match && indentOf(text) <= indent) return { key: match[2] ?? '', indent: indentOf(text) };
    if (indentOf(text) < indent) return undefined;
  }
  return undefined;
}

/** Lines longer than this get no completion. */
const MAX_LINE = 2_000;

/** Where the word before the cursor starts (letters, digits, `_.()-`), scanning back: linear in its length. */
function wordStart(before: string): number {
  let start = before.length;
  while (start > 0 && /[\w.()-]/.test(before[start - 1] ?? '')) start--;
  return start;
}

/** Works out what the cursor completes: a field name, or the value of a field (with sibling lines for context). */
export function cursorContext(text: string, position: Position): CursorContext | undefined {
  const lines = text.split(/\r?\n/);
  const full = lines[position.line];
  // No schema line is this long; the patterns below would cost the square of its length (a pasted blob).
  if (full === undefined || full.length > MAX_LINE) return undefined;
  const before = full.slice(0, position.character);
  if (before.trimStart().startsWith('#')) return undefined;
  const section = sectionAt(lines, position.line);
  const word = before.slice(wordStart(before));
  const range = { start: { line: position.line, character: position.character - word.length }, end: position };
  const item = (): string[] => itemLines(lines, position.line);

  const flow = /[{,]\s*([a-z_]+):(\s*)['"]?([^,}\s'"]*)$/.exec(before);
  const listFlow = /^\s*(?:-\s+)?([a-z_]+):\s*\[(?:[^\]]*,)?\s*([\w]*)$/.exec(before);
  const block = /^\s*(?:-\s+)?([a-z_]+):(\s*)['"]?([^\s'"]*)$/.exec(before);
  if (listFlow)
    return {
      kind: 'value',
      section,
      key: listFlow[1] ?? '',
      range,
      prefix: listFlow[2] ?? '',
      needsSpace: false,
      item: item(),
    };
  if (flow)
    return {
      kind: 'value',
      section,
      key: flow[1] ?? '',
      range,
      prefix: flow[3] ?? '',
      needsSpace: flow[2] === '',
      item: item(),
    };
  if (block)
    return {
      kind: 'value',
      section,
      key: block[1] ?? '',
      range,
      prefix: block[3] ?? '',
      needsSpace: block[2] === '',
      item: item(),
    };
  if (/[{,]\s*[a-z_]*$/.test(before) && before.includes('{')) return { kind: 'key', section, range, prefix: word };
  const listEntry = /^\s*-\s+(\w*)$/.exec(before);
  if (listEntry && section !== 'top') {
    const parent = parentKey(lines, position.line);
    if (parent && parent.indent > 0) {
      return {
        kind: 'value',
        section,
        key: parent.key,
        range,
        prefix: listEntry[1] ?? '',
        needsSpace: false,
        item: item(),
      };
    }
  }
  if (/^\s*(?:-\s+)?[a-z_]*$/.test(before))
    return {
      kind: 'key',
      section: indentOf(before) === 0 && !before.includes('-') ? 'top' : section,
      range,
      prefix: word,
    };
  return undefined;
}
