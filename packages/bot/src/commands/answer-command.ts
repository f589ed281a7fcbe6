import { indexReachOf } from '../auto-merge/index-commands.js';
import type { BotConfig } from '../bot-context.js';
import { findLinkedIssue } from '../checks/audit-check.js';
import type { LinkedIssue } from '../checks/audit-check.js';
import { quietText } from '../checks/quiet-text.js';
import { afterLockChange } from '../gate/after-lock-change.js';
import type { LockObserver } from '../gate/after-lock-change.js';
import type { GateTarget } from '../gate/gate-ports.js';
import type { PullInfo } from '../github.js';
import type { OperationContext } from '../indexing/index.js';
import { commandLine } from './parse-command.js';
import type { Command } from './parse-command.js';
import { runCommand } from './run-command.js';
import type { CommandDeps, CommandScene } from './run-command.js';

/** What answering a command needs beyond running it: the issue key pattern and the lock watcher. */
export interface AnswerDeps extends CommandDeps {
  config: CommandDeps['config'] & Pick<BotConfig, 'issueKeyPattern'>;
  watcher: LockObserver;
}

/** A command comment: where it was typed (`issue`, a PR when `onPull`), by whom, and its text. */
export interface CommandComment {
  id: number;
  issue: number;
  onPull: boolean;
  login: string;
  body: string;
}

/** Where a command runs: the PR's base branch (the default branch on an issue), audited under the linked issue. */
function sceneOf(
  scope: Pick<GateTarget, 'repo' | 'delivery'>,
  pull: PullInfo | undefined,
  login: string,
  linked: LinkedIssue | undefined,
): CommandScene {
  const { repo, delivery } = scope;
  return {
    ref: { repo: repo.fullName, branch: pull?.baseRef ?? repo.defaultBranch },
    defaultBranch: repo.defaultBranch,
    cloneUrl: repo.cloneUrl,
    htmlUrl: repo.htmlUrl,
    pr: pull?.number,
    login,
    ctx: { actor: login, issue: linked?.key, delivery },
  };
}

/**
 * Answers one command comment: 👀 first, then RBAC and the operation (`runCommand`, audited), the reply quoting
 * the command, the linked issue's audit comment, and `aegis/freeze` re-run through the gate on the PRs whose
 * locks changed. A command on an issue belongs to that issue; on a PR, to the issue the PR links.
 */
export async function answerCommand(
  deps: AnswerDeps,
  operations: OperationContext,
  scope: Omit<GateTarget, 'pull'>,
  comment: CommandComment,
  cmd: Command,
): Promise<void> {
  const { gh } = scope;
  await gh.react(comment.id, 'eyes');
  const pull = comment.onPull ? await gh.getPull(comment.issue) : undefined;
  const linked = pull
    ? findLinkedIssue(pull.body, deps.config.issueKeyPattern)
    : { key: `#${comment.issue}`, number: comment.issue, keyword: 'issue' };
  const scene = { ...sceneOf(scope, pull, comment.login, linked), log: scope.log };
  const reply = await runCommand(deps, gh, scene, cmd, indexReachOf(operations));
  const quoted = quietText(commandLine(comment.body) ?? '');
  await gh.createComment(comment.issue, `> ${quoted}\n\n@${comment.login} ${reply.text}`);
  if (pull && linked?.number !== undefined) {
    await operations.gate.syncAuditComment(gh, { key: linked.key, number: linked.number }, pull.number, scope.log);
  }
  await afterLockChange(operations.gate, deps.watcher, scope, scene.ref.branch, reply.affected);
}
