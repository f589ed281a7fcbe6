import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isBranchName, isFullRefName, isObjectId } from './git-names.js';

const run = promisify(execFile);

/** What git itself says of a branch name (as a ref under refs/heads/; a leading dash is never a branch). */
async function gitAccepts(name: string): Promise<boolean> {
  if (name.startsWith('-')) return false;
  return run('git', ['check-ref-format', `refs/heads/${name}`]).then(
    () => true,
    () => false,
  );
}

const NAMES = [
  'main',
  'feature/add-users',
  'release-1.2',
  'a/b/c',
  'ünïcode',
  '+refs/heads/evil:refs/heads/main',
  '--depth=1',
  '--upload-pack=touch /tmp/pwned',
  '-x',
  'a..b',
  'a b',
  'a~1',
  'a^',
  'a:b',
  'a?',
  'a*',
  'a[b',
  'a\\b',
  'a@{1}',
  '@',
  'a/',
  'a//b',
  '.hidden',
  'a/.b',
  'a.lock',
  'a/b.lock/c',
  'a.',
  'tab\there',
  'x\u007f',
];

describe('git names', () => {
  it('judges branch names as git check-ref-format does', async () => {
    for (const name of NAMES) expect([name, isBranchName(name)]).toEqual([name, await gitAccepts(name)]);
  });

  it('accepts full object ids only', () => {
    expect(isObjectId('a'.repeat(40))).toBe(true);
    expect(isObjectId('0123456789ABCDEFabcdef'.padEnd(64, '0'))).toBe(true);
    for (const bad of [
      'a'.repeat(39),
      'a'.repeat(41),
      'g'.repeat(40),
      '--depth=1',
      `+${'a'.repeat(40)}:refs/heads/main`,
    ])
      expect([bad, isObjectId(bad)]).toEqual([bad, false]);
  });

  it('accepts full ref names under refs/ only', () => {
    expect(isFullRefName('refs/heads/main')).toBe(true);
    expect(isFullRefName('refs/pull/7/head')).toBe(true);
    for (const bad of ['main', 'refs/main', 'refs/heads/a..b', '+refs/heads/x:refs/heads/main'])
      expect([bad, isFullRefName(bad)]).toEqual([bad, false]);
  });
});
