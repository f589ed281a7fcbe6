import { describe, expect, it } from 'vitest';
import { misplacedCommandReply } from './misplaced-command.js';

describe('misplacedCommandReply', () => {
  it.each<[string, string | null, boolean]>([
    ['a command on the first line is answered', '/lock users --reason migrating', true],
    ['an unknown command alone on the line is answered too (it would get the help)', '/lokc', true],
    ['ordinary review text is not', 'Looks good, but rename the column.', false],
    ['a command further down is not (only the first line is a command)', 'LGTM\n/lock', false],
    ['a review without a body is not', null, false],
    ['a slash word among prose is not', '/cc @acme/identity please look', false],
  ])('%s', (_, body, answered) => {
    const reply = misplacedCommandReply(body, 'review comment', 'alice');
    expect(reply !== undefined).toBe(answered);
  });

  it('quotes the command, names who typed it and says where it runs', () => {
    const reply = misplacedCommandReply('/lock users', 'review', 'alice')!;
    expect(reply).toMatch(/^> \/lock users\n\n@alice /);
    expect(reply).toContain('written in a review');
    expect(reply).toContain("pull request's conversation");
  });
});
