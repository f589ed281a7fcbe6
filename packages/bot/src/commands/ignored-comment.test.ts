import { describe, expect, it } from 'vitest';
import { ignoredComment } from './ignored-comment.js';

const event = (action: string, author: { login: string; type: string } | null, sender = author?.login ?? 'x') => ({
  action,
  comment: { id: 7, body: '/status', user: author },
  sender: { login: sender },
});
const alice = { login: 'alice', type: 'User' };

describe('ignoredComment', () => {
  it.each<[string, ReturnType<typeof event>, string | undefined, string | undefined]>([
    ['a new comment by its author is acted on', event('created', alice), undefined, undefined],
    ['an edit never is (someone could edit text into a command)', event('edited', alice), undefined, 'comment edited'],
    ['nor a deletion', event('deleted', alice), undefined, 'comment deleted'],
    ['nor a bot', event('created', { login: 'renovate', type: 'Bot' }), undefined, 'comment by a bot'],
    ['nor an app account', event('created', { login: 'other[bot]', type: 'User' }), undefined, 'comment by a bot'],
    ['nor the app itself', event('created', { login: 'aegis', type: 'User' }), 'aegis', 'own comment'],
    ['nor a ghost', event('created', null, 'alice'), undefined, 'comment by a bot'],
    [
      'nor a comment sent by someone else',
      event('created', alice, 'mallory'),
      undefined,
      'comment sent by someone other than its author',
    ],
  ])('%s', (_, payload, botLogin, reason) => expect(ignoredComment(payload, botLogin)).toBe(reason));

  // The id goes into API paths (`/comments/{id}/reactions`) and the body into replies: a signed delivery with
  // anything else in them is refused before any call, never turned into a request GitHub would not route.
  it.each<[string, unknown]>([
    ['an id that is text', { ...event('created', alice), comment: { id: 'users', body: '/status', user: alice } }],
    ['an id that is negative', { ...event('created', alice), comment: { id: -1, body: '/status', user: alice } }],
    ['an id that is fractional', { ...event('created', alice), comment: { id: 1.5, body: '/status', user: alice } }],
    ['no id', { ...event('created', alice), comment: { body: '/status', user: alice } }],
    ['a body that is not text', { ...event('created', alice), comment: { id: 7, body: ['/status'], user: alice } }],
    ['an author login that is not text', event('created', { login: 7, type: 'User' } as never)],
    ['a sender without a login', { ...event('created', alice), sender: {} }],
    ['no comment at all', { action: 'created', sender: { login: 'alice' } }],
  ])('refuses a malformed comment: %s', (_, payload) =>
    expect(ignoredComment(payload as never)).toBe('malformed comment'),
  );
});
