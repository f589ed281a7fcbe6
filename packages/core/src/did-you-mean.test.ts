import { describe, expect, it } from 'vitest';
import { didYouMean } from './did-you-mean.js';

describe('didYouMean', () => {
  it('suggests the closest likely typo, counting a swap of neighbours as one edit', () => {
    expect(didYouMean('userz', ['users', 'policies'])).toBe('users');
    expect(didYouMean('emial', ['email', 'name'])).toBe('email');
    expect(didYouMean('Users', ['users'])).toBe('users');
    expect(didYouMean('polcies', ['policies', 'applications'])).toBe('policies');
  });

  it('stays quiet when nothing is close, and breaks ties by name', () => {
    expect(didYouMean('uuid', ['id', 'email'])).toBeUndefined();
    expect(didYouMean('orders', [])).toBeUndefined();
    expect(didYouMean('users', ['users'])).toBeUndefined();
    expect(didYouMean('cat', ['car', 'bat'])).toBe('bat');
  });
});
