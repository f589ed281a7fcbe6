import { describe, expect, it } from 'vitest';
import { branchEvent } from './branch-lifecycle.js';
import type { LifecyclePayload } from './branch-lifecycle.js';

describe('branchEvent', () => {
  it.each<[string, string, LifecyclePayload, ReturnType<typeof branchEvent>]>([
    [
      'a deleted branch (delete event)',
      'delete',
      { ref: 'feature', ref_type: 'branch' },
      { branch: 'feature', gone: true },
    ],
    ['a deleted tag is no branch', 'delete', { ref: 'v1', ref_type: 'tag' }, undefined],
    [
      'a push deleting a branch',
      'push',
      { ref: 'refs/heads/feature', deleted: true },
      { branch: 'feature', gone: true },
    ],
    [
      'a push creating a branch',
      'push',
      { ref: 'refs/heads/feature', created: true },
      { branch: 'feature', gone: false },
    ],
    ['an ordinary push', 'push', { ref: 'refs/heads/main' }, undefined],
    ['a pushed tag', 'push', { ref: 'refs/tags/v1', created: true }, undefined],
  ])('%s', (_, event, payload, expected) => expect(branchEvent(event, payload)).toEqual(expected));
});
