import { describe, expect, test } from 'vitest';
import { cursorContext } from './cursor-context.js';

/** The context at the `|` marker of `text`. */
function at(marked: string): ReturnType<typeof cursorContext> {
  const offset = marked.indexOf('|');
  const before = marked.slice(0, offset);
  const line = before.split('\n').length - 1;
  return cursorContext(marked.replace('|', ''), { line, character: offset - (before.lastIndexOf('\n') + 1) });
}

describe('cursorContext', () => {
  test('a top-level key, and a key inside a list item', () => {
    expect(at('name: a\nown|')).toMatchObject({ kind: 'key', section: 'top', prefix: 'own' });
    expect(at('columns:\n  - name: id\n    ty|')).toMatchObject({ kind: 'key', section: 'columns', prefix: 'ty' });
    expect(at('references:\n  - |')).toMatchObject({ kind: 'key', section: 'references', prefix: '' });
  });

  test('a value after a key, with the sibling lines of its list item', () => {
    const ctx = at('references:\n  - schema: users\n    on_delete: CASCADE\n    column: i|\n  - schema: other\n');
    expect(ctx).toMatchObject({ kind: 'value', section: 'references', key: 'column', prefix: 'i', needsSpace: false });
    expect(ctx?.kind === 'value' ? ctx.item : []).toEqual([
      '  - schema: users',
      '    on_delete: CASCADE',
      '    column: i',
    ]);
    expect(at('references:\n  - schema:|')).toMatchObject({ kind: 'value', key: 'schema', needsSpace: true });
  });

  test('flow mappings and flow lists as SPEC §3 writes them', () => {
    const ctx = at('references:\n  - { schema: users, column: |}');
    expect(ctx).toMatchObject({ kind: 'value', section: 'references', key: 'column', prefix: '' });
    expect(ctx?.kind === 'value' ? ctx.item : []).toEqual(['  - { schema: users, column: }']);
    expect(at('references:\n  - { schema: users, on_|')).toMatchObject({
      kind: 'key',
      section: 'references',
      prefix: 'on_',
    });
    expect(at('indexes:\n  - name: i\n    columns: [a, b|')).toMatchObject({
      kind: 'value',
      section: 'indexes',
      key: 'columns',
      prefix: 'b',
    });
  });

  test('a block list entry under an index `columns:` completes column names', () => {
    expect(at('indexes:\n  - name: i\n    columns:\n      - a\n      - |')).toMatchObject({
      kind: 'value',
      section: 'indexes',
      key: 'columns',
    });
    expect(at('indexes:\n  - name: i\n    columns:\n    - |')).toMatchObject({ kind: 'value', key: 'columns' });
  });

  test('nothing inside comments or past the end', () => {
    expect(at('# schema: |')).toBeUndefined();
    expect(cursorContext('a: b', { line: 5, character: 0 })).toBeUndefined();
  });
});
