import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANGE_CLASSES, changeClassTable, isBreaking } from './change-classes.js';

describe('the classification table', () => {
  it('is the table docs/git-and-migrations.md shows, row for row', () => {
    const docs = readFileSync(new URL('../../../../docs/git-and-migrations.md', import.meta.url), 'utf8');
    expect(docs).toContain(`${changeClassTable()}\n`);
  });

  it.each([
    ['column-type-changed', { widening: true }, false],
    ['column-type-changed', { widening: false }, true],
    ['column-added', { required: true }, true],
    ['column-added', {}, false],
    ['column-nullability-changed', { tightened: true, hasDefault: true }, false],
    ['column-nullability-changed', { tightened: true }, true],
    ['column-nullability-changed', { tightened: false }, false],
    ['column-default-changed', { notNull: true }, true],
    ['column-default-changed', { notNull: true, hasDefault: true }, false],
    ['reference-added', { newColumn: true }, false],
    ['reference-added', {}, true],
    ['index-changed', { stricter: true }, true],
    ['index-removed', {}, false],
    ['schema-renamed', {}, true],
  ] as const)('%s with %o is breaking: %s', (kind, facts, breaking) => {
    expect(isBreaking(kind, facts)).toBe(breaking);
  });

  it('names the SQL, the lock and the rewrite of every kind', () => {
    for (const [kind, row] of Object.entries(CHANGE_CLASSES))
      expect(
        [row.sql, row.lock, row.rewrites, row.when].every((cell) => cell.length > 0),
        kind,
      ).toBe(true);
  });
});
