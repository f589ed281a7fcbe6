import { describe, expect, it } from 'vitest';
import { ApiTokens, hashApiToken } from './api-tokens.js';

describe('ApiTokens', () => {
  const env = {
    AEGIS_API_TOKENS: JSON.stringify([{ name: 'funnel', roles: ['indexer'], sha256: hashApiToken('s3cret') }]),
  };

  it('maps a bearer token to its identity by digest only', () => {
    const tokens = ApiTokens.fromEnv(env);
    expect(tokens.identify('Bearer s3cret')).toEqual({ name: 'funnel', roles: ['indexer'] });
    expect(tokens.identify('bearer s3cret')).toEqual({ name: 'funnel', roles: ['indexer'] });
    expect(tokens.identify('Bearer s3cret2')).toBeUndefined();
    expect(tokens.identify('Basic s3cret')).toBeUndefined();
    expect(tokens.identify(undefined)).toBeUndefined();
    expect(env.AEGIS_API_TOKENS).not.toContain('s3cret');
  });

  it('refuses a configuration entry without a 64-hex digest', () => {
    expect(() =>
      ApiTokens.fromEnv({ AEGIS_API_TOKENS: JSON.stringify([{ name: 'x', roles: [], sha256: 'plain' }]) }),
    ).toThrow(/64-hex sha256/);
    expect(ApiTokens.fromEnv({}).size).toBe(0);
  });

  it('carries the repositories a token is scoped to, and refuses anything but a list of owner/name', () => {
    const entry = (repositories: unknown) => ({
      name: 'x',
      roles: ['viewer'],
      sha256: hashApiToken('t'),
      repositories,
    });
    const scoped = ApiTokens.fromEnv({ AEGIS_API_TOKENS: JSON.stringify([entry(['acme/registry'])]) });
    expect(scoped.identify('Bearer t')).toEqual({ name: 'x', roles: ['viewer'], repositories: ['acme/registry'] });
    const table: unknown[] = ['acme/registry', ['acme'], [42], ['a/b/c'], {}];
    for (const bad of table) {
      expect(() => ApiTokens.fromEnv({ AEGIS_API_TOKENS: JSON.stringify([entry(bad)]) }), JSON.stringify(bad)).toThrow(
        /token 1: repositories must be a list of owner\/name/,
      );
    }
  });
});
