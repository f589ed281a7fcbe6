import { quietText } from '../checks/quiet-text.js';
import { commandLine, parseCommand } from './parse-command.js';

/** Where a text was typed that the bot does not read commands from. */
export type MisplacedWhere = 'review comment' | 'review';

/**
 * The answer to a command typed in a pull request review comment or a review's body, where commands do not
 * run (a review is read by people, and its comments belong to lines of code): where to type it instead.
 * Undefined when the text holds no command — ordinary review text is never answered.
 */
export function misplacedCommandReply(body: string | null, where: MisplacedWhere, login: string): string | undefined {
  if (!body || !parseCommand(body)) return undefined;
  const line = quietText(commandLine(body) ?? '');
  return `> ${line}\n\n@${login} Aegis does not run commands written in a ${where}. Type it as a new comment in this pull request's conversation (the **Conversation** tab) and it runs there.`;
}
