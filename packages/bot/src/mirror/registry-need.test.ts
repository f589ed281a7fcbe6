import { describe, expect, it } from 'vitest';
import { PULL_FILES_CAP, registryNeed, touchesRegistry } from './registry-need.js';
import type { RegistryFacts, RegistryNeed } from './registry-need.js';

const files = (...paths: string[]) => paths.map((path) => ({ path }));
const many = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `src/f${i}.ts` }));

describe('registryNeed', () => {
  const table: [string, RegistryFacts, RegistryNeed][] = [
    ['a schema edited', { files: files('src/a.ts', '.kiro/schemas/users.yaml'), listed: false }, 'read'],
    ['the policy edited', { files: files('.kiro/rbac.yaml'), listed: true, hasRegistry: false }, 'read'],
    [
      'a schema renamed out of the registry',
      { files: [{ path: 'old/u.yaml', previousPath: '.kiro/u.yaml' }], listed: true },
      'read',
    ],
    ['no registry path yet, pages left', { files: files('src/a.ts'), listed: false }, 'list-more'],
    ['every page read, none in the registry', { files: files('src/a.ts', '.kirofile'), listed: true }, 'ask-registry'],
    ['a change beside a registry', { files: files('src/a.ts'), listed: true, hasRegistry: true }, 'unchanged'],
    ['a repository without a registry', { files: files('src/a.ts'), listed: true, hasRegistry: false }, 'absent'],
    ['an empty change in a registry repository', { files: [], listed: true, hasRegistry: true }, 'unchanged'],
    ['GitHub’s 3,000-file cap reached', { files: many(PULL_FILES_CAP), listed: true, hasRegistry: false }, 'read'],
    ['just under the cap', { files: many(PULL_FILES_CAP - 1), listed: true, hasRegistry: false }, 'absent'],
  ];
  it.each(table)('%s → %s', (_what, facts, need) => {
    expect(registryNeed(facts)).toBe(need);
  });

  it('counts only the registry folder itself, not look-alikes', () => {
    expect(touchesRegistry({ path: '.kiro' })).toBe(true);
    expect(touchesRegistry({ path: 'docs/.kiro/x.yaml' })).toBe(false);
    expect(touchesRegistry({ path: '.kiro-old/x.yaml' })).toBe(false);
  });
});
