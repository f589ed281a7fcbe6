import type { BranchRef } from '@aegis/freeze';
import type { BotContext } from '../bot-context.js';
import { operationsOf } from '../indexing/operation-context.js';
import { treeHashAt } from '../indexing/tree-hash.js';
import { tokenPrincipal } from '../rbac/authorize.js';
import { AUTO_MERGE_SET } from './auto-merge-setting.js';
import { AUTO_MERGE_TIMEOUT_MS, evaluateAutoMerge } from './evaluate-auto-merge.js';

/** `/auto-merge [off]` and `/shadow status|switch|rollback [id|index-type]`, parsed. */
export type IndexCommand =
  { kind: 'auto-merge'; enabled: boolean } | { kind: 'shadow'; action: 'status' | 'switch' | 'rollback'; arg?: string };

/** Where the command was typed (the fields of the bot's CommandScene these commands need). */
export interface IndexCommandScene {
  ref: BranchRef;
  pr?: number | undefined;
  login: string;
  ctx: { actor: string; issue?: string | undefined; delivery?: string | undefined };
}

const caller = (scene: IndexCommandScene) => ({
  identity: scene.login,
  // Already authorised as a command; the principal is never asked again.
  principal: tokenPrincipal(scene.login, []),
  transport: 'command' as const,
  ...(scene.ctx.issue ? { issue: scene.ctx.issue } : {}),
  ...(scene.ctx.delivery ? { delivery: scene.ctx.delivery } : {}),
});

async function autoMerge(bot: BotContext, scene: IndexCommandScene, enabled: boolean): Promise<string> {
  if (scene.pr === undefined) return '`/auto-merge` works on a pull request.';
  await bot.freeze.appendAudit({
    ...scene.ref,
    actor: scene.login,
    action: AUTO_MERGE_SET,
    issue: scene.ctx.issue ?? null,
    resourceType: 'pull',
    resourceId: String(scene.pr),
    reason: enabled ? 'auto-merge on' : 'auto-merge off',
    new: { pr: scene.pr, enabled },
    delivery: scene.ctx.delivery ?? null,
  });
  if (!enabled) return '⏹️ Auto-merge is off for this pull request.';
  const hours = Math.round(AUTO_MERGE_TIMEOUT_MS / 3600_000);
  const head = `🤖 Auto-merge is on for ${hours} h: this PR merges by itself once every aegis check passes, GitHub says it is mergeable, and a shadow index built from its head's schema tree is BUILT (the bot switches it in, merges, and rolls the switch back if the merge fails).`;
  const ops = operationsOf(bot);
  if (!ops) return head;
  const [report] = await evaluateAutoMerge(ops, { kind: 'pull', repo: scene.ref.repo, pull: scene.pr }, caller(scene), {
    announceBlocked: false,
  });
  if (!report || report.merged) return head;
  return `${head}\n\nStill waiting for:\n${report.reasons.map((r) => `- ${r}`).join('\n')}`;
}

async function shadowStatus(bot: BotContext, scene: IndexCommandScene, indexType: string): Promise<string> {
  const [builds, pointer] = await Promise.all([
    bot.freeze.shadow.list({ ...scene.ref }),
    bot.freeze.shadow.pointer(scene.ref, indexType),
  ]);
  const rows = builds
    .slice(-10)
    .map(
      (s) =>
        `| \`${s.id}\` | ${s.indexType} | ${s.state} | ${s.progressPercent}% | ${s.etaSeconds ?? '—'} | ${s.treeHash.slice(0, 10)} |`,
    );
  return [
    `**${scene.ref.branch}** ${indexType} index: active \`${pointer.active ?? 'none'}\`, previous \`${pointer.previous ?? 'none'}\`.`,
    '',
    rows.length
      ? '| build | index | state | progress | ETA (s) | tree |\n| --- | --- | --- | --- | --- | --- |\n' +
        rows.join('\n')
      : 'No shadow builds.',
  ].join('\n');
}

async function shadowSwitch(bot: BotContext, scene: IndexCommandScene, id: string | undefined): Promise<string> {
  const ops = operationsOf(bot);
  if (!ops) return 'The indexing interface is not available in this deployment.';
  const pull = scene.pr !== undefined ? (await ops.github(scene.ref.repo))?.gh : undefined;
  const head = pull && scene.pr !== undefined ? (await pull.mergeState(scene.pr)).headSha : undefined;
  const currentTreeHash = await treeHashAt(ops, scene.ref.repo, head ? { commit: head } : { branch: scene.ref.branch });
  const built = await bot.freeze.shadow.list({ ...scene.ref, states: ['BUILT'] });
  const target = id ? built.find((s) => s.id === id) : (built.find((s) => s.treeHash === currentTreeHash) ?? built[0]);
  if (!target) return `No BUILT shadow index${id ? ` \`${id}\`` : ''} on ${scene.ref.branch}.`;
  const out = await bot.freeze.shadow.switch(target.id, { currentTreeHash }, scene.ctx);
  if (!out.switched) return `Not switched: ${out.errors.join('; ')}`;
  return `🔀 Switched ${scene.ref.branch}'s ${target.indexType} index to \`${target.id}\` (lock held ${out.switchDurationMs} ms); \`/shadow rollback\` swaps back.`;
}

async function shadowRollback(bot: BotContext, scene: IndexCommandScene, indexType: string): Promise<string> {
  const out = await bot.freeze.shadow.rollback(scene.ref, indexType, scene.ctx);
  if (!out.switched) return `Not rolled back: ${out.errors.join('; ') || 'no previous index'}`;
  return `↩️ Rolled ${scene.ref.branch}'s ${indexType} index back to \`${out.pointer.active ?? 'none'}\`.`;
}

/** Runs an index command (after the caller's RBAC check) and returns the reply text. */
export async function runIndexCommand(bot: BotContext, scene: IndexCommandScene, cmd: IndexCommand): Promise<string> {
  if (cmd.kind === 'auto-merge') return autoMerge(bot, scene, cmd.enabled);
  if (cmd.action === 'status') return shadowStatus(bot, scene, cmd.arg ?? 'search');
  if (cmd.action === 'switch') return shadowSwitch(bot, scene, cmd.arg);
  return shadowRollback(bot, scene, cmd.arg ?? 'search');
}

/** Parses the arguments of `/auto-merge` and `/shadow`; a string is the problem to report. */
export function parseIndexCommand(name: string, args: string): IndexCommand | string | undefined {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (name === 'auto-merge') {
    if (words.length === 0 || words[0] === 'on') return { kind: 'auto-merge', enabled: true };
    return words[0] === 'off' ? { kind: 'auto-merge', enabled: false } : '`/auto-merge` takes nothing or `off`';
  }
  if (name !== 'shadow') return undefined;
  const action = words[0];
  if (action !== 'status' && action !== 'switch' && action !== 'rollback')
    return '`/shadow` takes `status`, `switch` or `rollback`';
  return { kind: 'shadow', action, ...(words[1] ? { arg: words[1] } : {}) };
}
