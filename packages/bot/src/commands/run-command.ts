import { LockConflictError, StoreUnavailableError } from '@aegis/freeze';
import type { ActorContext, BranchRef, FreezeService, Lock } from '@aegis/freeze';
import type { BotConfig } from '../bot-context.js';
import { correlationId } from '../delivery-errors.js';
import { describeLock, waitText } from '../checks/freeze-check.js';
import { quietCode, quietText } from '../checks/quiet-text.js';
import type { GitHubPort } from '../github.js';
import { authorize } from '../rbac/authorize.js';
import type { Action, Authorization, Principal } from '../rbac/authorize.js';
import { auditDenial } from '../rbac/audit-denial.js';
import { resolvePrincipal } from '../rbac/resolve-principal.js';
import type { PrincipalDeps } from '../rbac/resolve-principal.js';
import { runIndexCommand } from '../auto-merge/index-commands.js';
import type { IndexCommandDeps, IndexReach } from '../auto-merge/index-commands.js';
import { mayRelease, pullLockMeta, pullLocks } from '../locks/pull-locks.js';
import type { Command } from './parse-command.js';
import { HELP } from './parse-command.js';

/** Where a command was typed and by whom. */
export interface CommandScene {
  ref: BranchRef;
  defaultBranch: string;
  cloneUrl?: string;
  htmlUrl?: string;
  /** The PR the comment is on, if any. */
  pr?: number;
  login: string;
  ctx: ActorContext;
  /** Where a failure's details go (the reply carries only a correlation id). */
  log?: { warn(obj: unknown, msg?: string): void };
}

/**
 * What running a command needs of the bot (a narrow port: `BotContext` fits, and so does a test's object):
 * the freeze facade's lock operations and audit, the TTL settings, the conflict counter, the clock, and what
 * resolving the commenter needs (the mirror for the policy, the actor resolver for GitHub).
 */
export interface CommandDeps extends PrincipalDeps, IndexCommandDeps {
  freeze: Pick<FreezeService, 'getBranchState' | 'acquireLock' | 'releaseLock' | 'forceUnlock' | 'appendAudit'> &
    IndexCommandDeps['freeze'];
  config: Pick<BotConfig, 'defaultLockTtlMs' | 'maxLockTtlMs'>;
  metrics: { lockConflicts: { inc(): void } };
  clock: () => number;
}

/** What the bot answers, and which resources' write permission changed (to re-run aegis/freeze). */
export interface CommandReply {
  text: string;
  affected: string[];
}

/** The action a command asks to do (`authorize` knows its permission); none for `/status`, `/help`, `/shadow status`. */
export function commandAction(cmd: Command): Action | undefined {
  if (cmd.kind === 'lock' || cmd.kind === 'unlock' || cmd.kind === 'force-unlock') return `command:${cmd.kind}`;
  if (cmd.kind === 'auto-merge') return 'command:auto-merge';
  if (cmd.kind === 'shadow' && cmd.action !== 'status') return `command:shadow-${cmd.action}`;
  return undefined;
}

/** What a reply adds when the change is made but its audit record waits for the audit log (state in Redis). */
export function auditNote(pending: boolean | undefined): string {
  return pending
    ? '\n\n⚠️ The audit log is unreachable right now: this change is made, and its audit record is queued and ' +
        'written as soon as the audit log is back.'
    : '';
}

/** The reply when a store cannot be reached: no internal text (logged under the correlation id), no false claim. */
function storeDown(scene: CommandScene, error: StoreUnavailableError): CommandReply {
  const id = correlationId();
  scene.log?.warn({ err: error, correlationId: id }, 'a command could not reach the lock store');
  return {
    text:
      `The lock store is unreachable (correlation id \`${id}\`), so this command may not have completed. ` +
      '`/status` shows the branch as it is; try again shortly.',
    affected: [],
  };
}

function lockList(locks: Lock[], repo: string, now: number, htmlUrl?: string): string {
  return locks.length ? locks.map((l) => describeLock(l, repo, now, htmlUrl)).join('\n') : '- no live locks';
}

async function status(bot: CommandDeps, scene: CommandScene): Promise<CommandReply> {
  const s = await bot.freeze.getBranchState(scene.ref);
  const since = s.since ? ` since ${new Date(s.since).toISOString()}` : '';
  return {
    text: `**${quietText(scene.ref.branch)}** is ${s.state}${since}.\n\n${lockList(s.locks, scene.ref.repo, s.now, scene.htmlUrl)}`,
    affected: [],
  };
}

async function lock(
  bot: CommandDeps,
  scene: CommandScene,
  cmd: Extract<Command, { kind: 'lock' }>,
  gh: GitHubPort,
): Promise<CommandReply> {
  // A closed or merged PR never releases what it takes (#14): its lock would stand for the whole TTL.
  const state = scene.pr !== undefined ? (await gh.getPull(scene.pr)).state : 'open';
  if (state !== 'open') return { text: `Not locked: this pull request is ${state}.`, affected: [] };
  const ttlMs = Math.min(cmd.ttlMs ?? bot.config.defaultLockTtlMs, bot.config.maxLockTtlMs);
  const meta = pullLockMeta(scene.login, scene.pr);
  try {
    const out = await bot.freeze.acquireLock(
      {
        ...scene.ref,
        ...cmd.target,
        holder: scene.login,
        reason: cmd.reason ?? `locked by /lock on #${scene.pr ?? '?'}`,
        ttlMs,
        meta,
      },
      scene.ctx,
    );
    const released = scene.pr ? ' It is released when this PR is merged or closed, or with `/unlock`.' : '';
    return {
      text: `🔒 Locked:\n\n${describeLock(out.lock, scene.ref.repo, out.status.now, scene.htmlUrl)}\n\nOpen PRs touching it now fail \`aegis/freeze\`.${released}${auditNote(out.auditPending)}`,
      affected: out.affected,
    };
  } catch (error) {
    if (!(error instanceof LockConflictError)) throw error;
    bot.metrics.lockConflicts.inc();
    await bot.freeze.appendAudit({
      ...scene.ref,
      actor: scene.login,
      action: 'lock.refused',
      issue: scene.ctx.issue ?? null,
      reason: error.message,
      new: { pr: scene.pr },
      delivery: scene.ctx.delivery ?? null,
    });
    const now = bot.clock();
    return {
      text: `Not locked: it conflicts with\n\n${lockList(error.conflicts, scene.ref.repo, now, scene.htmlUrl)}\n\nRetry after ~${waitText(error.retryAfterSeconds)}.`,
      affected: [],
    };
  }
}

async function unlock(bot: CommandDeps, scene: CommandScene, lockId: string | undefined): Promise<CommandReply> {
  const s = await bot.freeze.getBranchState(scene.ref);
  const targets = lockId ? s.locks.filter((l) => l.id === lockId) : pullLocks(s.locks, scene.pr);
  if (targets.length === 0)
    return {
      text: lockId ? `No live lock ${quietCode(lockId)} on ${quietText(scene.ref.branch)}.` : 'This PR holds no lock.',
      affected: [],
    };
  const foreign = targets.filter((l) => !mayRelease(l, scene));
  if (foreign.length > 0) {
    return {
      text: `${quietCode(foreign[0]?.id ?? '')} is held by ${quietText(foreign[0]?.holder ?? '', 100)}, not by you or this PR: ask them, or an admin can \`/force-unlock <reason>\`.`,
      affected: [],
    };
  }
  const affected: string[] = [];
  let pending = false;
  for (const l of targets) {
    const out = await bot.freeze.releaseLock(l, scene.ctx);
    affected.push(...out.affected);
    pending ||= out.auditPending === true;
  }
  return { text: `🔓 Released ${targets.map((l) => quietCode(l.id)).join(', ')}.${auditNote(pending)}`, affected };
}

async function deny(bot: CommandDeps, scene: CommandScene, principal: Principal, decision: Authorization) {
  const where = { ...scene.ref, issue: scene.ctx.issue, pr: scene.pr, delivery: scene.ctx.delivery };
  await auditDenial(bot.freeze, principal, decision, { ...where, transport: 'command' });
  return { text: `⛔ Refused: ${quietText(decision.reason)}.`, affected: [] };
}

/**
 * Runs one command for one actor: RBAC (policy from the default branch), then the freeze operation. Every
 * refusal is audited before the reply is returned; the caller posts the reply.
 */
export async function runCommand(
  bot: CommandDeps,
  gh: GitHubPort,
  scene: CommandScene,
  cmd: Command,
  /** Where `/auto-merge` and `/shadow switch` reach the indexing operations (none: not wired here). */
  reach?: IndexReach,
): Promise<CommandReply> {
  if (cmd.kind === 'help') return { text: HELP, affected: [] };
  if (cmd.kind === 'unknown') return { text: `${cmd.problem}.\n\n${HELP}`, affected: [] };
  try {
    const action = commandAction(cmd);
    if (action) {
      const repo = { fullName: gh.fullName, defaultBranch: scene.defaultBranch, cloneUrl: scene.cloneUrl };
      const principal = await resolvePrincipal(bot, gh, repo, scene.login);
      const decision = authorize(principal, action);
      if (!decision.allowed) return await deny(bot, scene, principal, decision);
    }
    if (cmd.kind === 'auto-merge' || cmd.kind === 'shadow')
      return { text: await runIndexCommand(bot, reach, scene, cmd), affected: [] };
    if (cmd.kind === 'status') return await status(bot, scene);
    if (cmd.kind === 'lock') return await lock(bot, scene, cmd, gh);
    if (cmd.kind === 'unlock') return await unlock(bot, scene, cmd.lockId);
    const out = await bot.freeze.forceUnlock(scene.ref, cmd.reason, scene.ctx);
    return {
      text: `🚨 Force-unlocked **${quietText(scene.ref.branch)}** (was ${out.from}): released ${out.released.length} lock(s). Reason: ${quietText(cmd.reason)}${auditNote(out.auditPending)}`,
      affected: out.affected,
    };
  } catch (error) {
    if (error instanceof StoreUnavailableError) return storeDown(scene, error);
    throw error;
  }
}
