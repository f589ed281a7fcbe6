/** A comment as the command rules look at it (an `issue_comment` or a review comment payload). */
export interface CommentEvent {
  action: string;
  comment: { id: number; body: string | null; user: { login: string; type: string } | null };
  sender: { login: string; type?: string };
}

/**
 * Why the bot never acts on a comment, or undefined when it may: edits and deletions (someone else's text
 * could be turned into a command), bots (itself included), and a comment sent by someone other than its author.
 */
export function ignoredComment(event: CommentEvent, botLogin?: string): string | undefined {
  if (event.action !== 'created') return `comment ${event.action}`;
  if (malformed(event)) return 'malformed comment';
  const author = event.comment.user;
  if (!author || author.type === 'Bot' || author.login.endsWith('[bot]')) return 'comment by a bot';
  if (botLogin && author.login === botLogin) return 'own comment';
  if (author.login !== event.sender.login) return 'comment sent by someone other than its author';
  return undefined;
}

/** GitHub's ids and numbers are positive integers; a payload that says otherwise is not GitHub's. */
export const isId = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) > 0;
const isLogin = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

/**
 * A delivery GitHub would never send (its signature only proves who sent it): the comment's id ends up in API
 * paths and its body in replies, so anything but a positive integer id, a text body (a review's may be empty) and text logins is refused.
 */
function malformed(event: CommentEvent): boolean {
  const comment = event.comment as Partial<CommentEvent['comment']> | undefined;
  const author = comment?.user as { login?: unknown } | null | undefined;
  return (
    !isId(comment?.id) ||
    (typeof comment?.body !== 'string' && comment?.body !== null) ||
    !isLogin(event.sender?.login) ||
    (author !== null && !isLogin(author?.login))
  );
}
