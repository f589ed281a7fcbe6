import { describe, expect, it } from 'vitest';
import { locate } from './locate.js';

const text =
  'name: orders\ncolumns:\n  - name: id\n    type: UUID\n  - name: user_id\nreferences:\n  - schema: user\n    column: id\n';

describe('locate', () => {
  it('finds positions by the text around them, 0-based', () => {
    expect(locate(text).line('schema: user').after('schema: ')).toEqual({ line: 6, character: 12 });
    expect(locate(text).line('schema: user').range('user')).toEqual({
      start: { line: 6, character: 12 },
      end: { line: 6, character: 16 },
    });
    expect(locate(text).line('name: id').at('id')).toEqual({ line: 2, character: 10 });
    expect(locate(text).line('- name:', 2).range('user_id').start).toEqual({ line: 4, character: 10 });
    expect(locate(text).line('- name: id').content()).toEqual({
      start: { line: 2, character: 4 },
      end: { line: 2, character: 12 },
    });
    expect(locate(text).range('id', 2)).toEqual({ start: { line: 4, character: 15 }, end: { line: 4, character: 17 } });
  });

  it('counts UTF-16 code units and says what it could not find', () => {
    expect(locate('a: 😀 b\n').line('a:').at('b')).toEqual({ line: 0, character: 6 });
    expect(() => locate(text).line('nope')).toThrow(/no line #1 containing "nope"/);
    expect(() => locate(text).line('name: id').at('zzz')).toThrow(/"zzz" #1 not on line 2/);
  });
});
