import { describe, expect, it } from 'vitest';
import { auditCheck, findLinkedIssue } from './audit-check.js';

describe('findLinkedIssue', () => {
  it('finds closing keywords, references and configured keys', () => {
    expect(findLinkedIssue('Adds a column.\n\nFixes #12')).toEqual({ key: '#12', number: 12, keyword: 'Fixes' });
    expect(findLinkedIssue('refs: #7')).toMatchObject({ key: '#7', number: 7 });
    expect(findLinkedIssue('Resolves acme/other#3')).toEqual({ key: 'acme/other#3', keyword: 'Resolves' });
    expect(findLinkedIssue('Part of OMS-123', /OMS-\d+/)).toEqual({ key: 'OMS-123', keyword: 'key' });
  });

  it('ignores bare numbers, other words and HTML comments', () => {
    expect(findLinkedIssue('See #12 maybe')).toBeUndefined();
    expect(findLinkedIssue('<!-- Fixes #1 -->')).toBeUndefined();
    expect(findLinkedIssue(null)).toBeUndefined();
  });

  it('the check names the issue or says how to link one', () => {
    expect(auditCheck({ key: '#12', number: 12, keyword: 'Fixes' })).toMatchObject({
      conclusion: 'success',
      title: 'Linked to #12',
    });
    const missing = auditCheck(undefined, /OMS-\d+/);
    expect(missing.conclusion).toBe('failure');
    expect(missing.summary).toContain('Fixes #123');
    expect(missing.summary).toContain('OMS-\\d+');
  });
});
