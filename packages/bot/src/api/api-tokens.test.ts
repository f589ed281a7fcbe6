import { describe, expect, it } from 'vitest';
import { ApiTokens, hashApiToken } from './api-tokens.js';

describe('ApiTokens', () => {
  const json = JSON.stringify([{ name: 'funnel', roles: ['indexer'], sha256: hashApiToken('s3cret') }]);
  const one = (text: string) => ApiTokens.fromJson([{ json: text, where: 'AEGIS_API_TOKENS' }]);

  it('maps a bearer token to its identity by digest only', () => {
    const tokens = one(json);
    expect(tokens.identify('Bearer s3cret')).toEqual({ name: 'funnel', roles: ['indexer'] });
    expect(tokens.identify('bearer s3cret')).toEqual({ name: 'funnel', roles: ['indexer'] });
    expect(tokens.identify('Bearer s3cret2')).toBeUndefined();
    expect(tokens.identify('Basic s3cret')).toBeUndefined();
    expect(tokens.identify(undefined)).toBeUndefined();
    expect(json).not.toContain('s3cret');
  });

  it('refuses a configuration entry without a 64-hex digest', () => {
    expect(() => one(JSON.stringify([{ name: 'x', roles: [], sha256: 'plain' }]))).toThrow(
      /AEGIS_API_TOKENS: token 1 needs name, roles and a 64-hex sha256/,
    );
    expect(ApiTokens.fromJson([]).size).toBe(0);
  });

  it('carries the repositories a token is scoped to, and refuses anything but a list of owner/name', () => {
    const entry = (repositories: unknown) => ({
      name: 'x',
      roles: ['viewer'],
      sha256: hashApiToken('t'),
      repositories,
    });
    const scoped = one(JSON.stringify([entry(['acme/registry'])]));
    expect(scoped.identify('Bearer t')).toEqual({ name: 'x', roles: ['viewer'], repositories: ['acme/registry'] });
    const table: unknown[] = ['acme/registry', ['acme'], [42], ['a/b/c'], {}];
    for (const bad of table) {
      expect(() => one(JSON.stringify([entry(bad)])), JSON.stringify(bad)).toThrow(
        /token 1: repositories must be a list of owner\/name/,
      );
    }
  });

  it('joins several lists, each named in its own errors', () => {
    const second = JSON.stringify({ tokens: [{ name: 'ops', roles: ['admin'], sha256: hashApiToken('t2') }] });
    const tokens = ApiTokens.fromJson([
      { json, where: 'AEGIS_API_TOKENS' },
      { json: second, where: '/etc/aegis/tokens.json' },
    ]);
    expect(tokens.size).toBe(2);
    expect(tokens.identify('Bearer t2')).toEqual({ name: 'ops', roles: ['admin'] });
    expect(() => ApiTokens.fromJson([{ json: '{}', where: '/etc/aegis/tokens.json' }])).toThrow(
      /^\/etc\/aegis\/tokens.json: expected a list of tokens/,
    );
  });
});
