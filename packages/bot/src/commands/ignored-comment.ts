/** A comment as the command rules look at it (an `issue_comment` or a review comment payload). */
export interface CommentEvent {
  action: string;
  comment: { user: { login: string; type: string } | null };
  sender: { login: string; type?: string };
}

/**
 * Why the bot never acts on a comment, or undefined when it may: edits and deletions (someone else's text
 * could be turned into a command), bots (itself included), and a comment sent by someone other than its author.
 */
export function ignoredComment(event: CommentEvent, botLogin?: string): string | undefined {
  if (event.action !== 'created') return `comment ${event.action}`;
  const author = event.comment.user;
  if (!author || author.type === 'Bot' || author.login.endsWith('[bot]')) return 'comment by a bot';
  if (botLogin && author.login === botLogin) return 'own comment';
  if (author.login !== event.sender.login) return 'comment sent by someone other than its author';
  return undefined;
}
