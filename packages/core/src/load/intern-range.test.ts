import { describe, expect, it } from 'vitest';
import { loadFile } from './load-file.js';
import { internRange } from './intern-range.js';

describe('internRange', () => {
  it('shares one frozen range between files with a node at the same place', () => {
    const a = loadFile(
      's/a.yaml',
      'name: a\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n',
    );
    const b = loadFile(
      's/b.yaml',
      'name: b\nowner: y\nversion: 2.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n',
    );
    expect(a.schema?.columns[0]?.type.range).toBe(b.schema?.columns[0]?.type.range);
    expect(a.schema?.name.range).toBe(b.schema?.name.range);
    const range = internRange(3, 4, 3, 9);
    expect(range).toEqual({ start: { line: 3, character: 4 }, end: { line: 3, character: 9 } });
    expect(Object.isFrozen(range) && Object.isFrozen(range.start) && Object.isFrozen(range.end)).toBe(true);
    expect(() => {
      (range.start as { line: number }).line = 0;
    }).toThrow(TypeError);
  });

  it('still gives ranges beyond what the cache key holds', () => {
    expect(internRange(9000, 1, 9000, 20_000)).toEqual({
      start: { line: 9000, character: 1 },
      end: { line: 9000, character: 20_000 },
    });
    expect(internRange(9000, 1, 9000, 20_000)).not.toBe(internRange(9000, 1, 9000, 20_000));
  });
});
