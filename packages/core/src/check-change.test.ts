import { describe, expect, it } from 'vitest';
import { checkChange } from './check-change.js';
import { memoryFileSource } from './file-source.js';
import { loadRegistry } from './load/load-registry.js';

const schema = (name: string, version: string, columns: string[]): string =>
  [`name: ${name}`, 'owner: svc', `version: ${version}`, 'columns:', ...columns].join('\n') + '\n';
const ID = '  - { name: id, type: UUID, primary_key: true }';
const NOTE = '  - { name: note, type: TEXT }';
const registry = (files: Record<string, string>) => loadRegistry(memoryFileSource(files));

describe('checkChange', () => {
  it('keeps every head file (whole-set), merges validation and the diff in position order, and counts', async () => {
    const base = await registry({
      'users.yaml': schema('users', '1.0.0', [ID, NOTE]),
      'keep.yaml': schema('keep', '1.0.0', [ID]),
    });
    const head = await registry({
      'users.yaml': schema('users', '1.0.0', [ID]),
      'keep.yaml': schema('keep', '1.0.0', [ID]),
    });
    const checked = checkChange({ base, head });
    expect([...checked.results.keys()].sort()).toEqual(['keep.yaml', 'users.yaml']);
    expect(checked.results.get('keep.yaml')).toEqual([]);
    const users = checked.results.get('users.yaml') ?? [];
    expect(users.map((d) => d.code).sort()).toEqual(['breaking-change', 'version-not-bumped']);
    const lines = users.map((d) => d.range.start.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(checked).toMatchObject({ errors: 2, warnings: 0, headValid: true });
    expect(checked.diff.breaking).toBe(true);
  });

  it('says the head is invalid only for its own validation errors, not for the diff’s', async () => {
    const base = await registry({});
    const head = await registry({ 'users.yaml': schema('users', '1.0.0', ['  - { name: id, type: UUID }']) });
    expect(checkChange({ base, head })).toMatchObject({ errors: 0, warnings: 1, headValid: true });
    const broken = await registry({ 'users.yaml': 'name: [' });
    expect(checkChange({ base, head: broken }).headValid).toBe(false);
  });

  it('reports an edited policy’s problems under .kiro/rbac.yaml, and nothing for an unedited or deleted one', async () => {
    const reg = await registry({ 'keep.yaml': schema('keep', '1.0.0', [ID]) });
    const text = 'roles:\n  dev:\n    permissions: ["schema:write"]\nmembers:\n  alice: [maintainer]\n';
    const edited = checkChange({ base: reg, head: reg, editedPolicy: { text } });
    expect(edited.results.get('.kiro/rbac.yaml')?.map((d) => d.code)).toEqual(['rbac-unknown-role']);
    expect(edited.errors).toBe(1);
    expect(checkChange({ base: reg, head: reg }).results.has('.kiro/rbac.yaml')).toBe(false);
    expect(
      checkChange({ base: reg, head: reg, editedPolicy: { text: undefined } }).results.has('.kiro/rbac.yaml'),
    ).toBe(false);
  });
});
