import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERMISSION_VOCABULARY, expandPermissionShorthand } from './permissions.js';

const DOC = readFileSync(new URL('../../../../docs/github-app.md', import.meta.url), 'utf8');

describe('the permission vocabulary', () => {
  it('is the one table in docs/github-app.md, row for row', () => {
    const rows = DOC.split('\n').filter((l) => /^\| `[a-z*-]+:[a-z*-]+` \|/.test(l));
    const expected = Object.entries(PERMISSION_VOCABULARY).map(
      ([p, e]) => `| \`${p}\` | ${'governs' in e ? e.governs : `**refused**: ${e.meaningless}`} |`,
    );
    expect(rows).toEqual(expected);
  });

  it('expands seed 004 shorthand and leaves single permissions alone', () => {
    expect(expandPermissionShorthand('branch:create,read, update')).toEqual([
      'branch:create',
      'branch:read',
      'branch:update',
    ]);
    expect(expandPermissionShorthand('schema:*')).toEqual(['schema:*']);
  });
});
