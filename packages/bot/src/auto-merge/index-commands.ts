import { IllegalShadowStateError } from '@aegis/freeze';
import type { BranchRef, FreezeService, ShadowBuild, ShadowService } from '@aegis/freeze';
import type { AutoMergeReport, Caller } from '../indexing/index.js';
import { treeHashAt } from '../indexing/tree-hash.js';
import { tokenPrincipal } from '../rbac/authorize.js';
import { quietCode, quietText } from '../checks/quiet-text.js';
import type { AutoMergeContext } from './auto-merge-context.js';
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

/** What the index commands need of the freeze facade: the audit (the auto-merge switch) and shadow builds. */
export interface IndexCommandDeps {
  freeze: Pick<FreezeService, 'appendAudit'> & {
    shadow: Pick<ShadowService, 'list' | 'pointer' | 'switch' | 'rollback'>;
  };
}

/** What the index commands reach through the indexing interface (absent where the app runs without it). */
export interface IndexReach {
  /** Evaluates auto-merge of one PR now, without commenting what is missing (the reply says it). */
  evaluateAutoMerge(repo: string, pull: number, caller: Caller): Promise<AutoMergeReport | undefined>;
  /** The registry tree hash at pull request `pr`'s head, or at the branch head without one. */
  treeHash(ref: BranchRef, pr: number | undefined): Promise<string>;
}

/** The indexing operations' context as the index commands use it. */
export function indexReachOf(ops: AutoMergeContext): IndexReach {
  return {
    evaluateAutoMerge: async (repo, pull, caller) =>
      (await evaluateAutoMerge(ops, { kind: 'pull', repo, pull }, caller, { announceBlocked: false }))[0],
    treeHash: async (ref, pr) => {
      const gh = pr !== undefined ? (await ops.github(ref.repo))?.gh : undefined;
      const head = gh && pr !== undefined ? (await gh.mergeState(pr)).headSha : undefined;
      return treeHashAt(ops, ref.repo, head ? { commit: head } : { branch: ref.branch });
    },
  };
}

const caller = (scene: IndexCommandScene): Caller => ({
  identity: scene.login,
  // Already authorised as a command; the principal is never asked again.
  principal: tokenPrincipal(scene.login, []),
  transport: 'command' as const,
  ...(scene.ctx.issue ? { issue: scene.ctx.issue } : {}),
  ...(scene.ctx.delivery ? { delivery: scene.ctx.delivery } : {}),
});

async function autoMerge(
  deps: IndexCommandDeps,
  reach: IndexReach | undefined,
  scene: IndexCommandScene,
  enabled: boolean,
): Promise<string> {
  if (scene.pr === undefined) return '`/auto-merge` works on a pull request.';
  await deps.freeze.appendAudit({
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
  const report = await reach?.evaluateAutoMerge(scene.ref.repo, scene.pr, caller(scene));
  if (!report || report.merged) return head;
  return `${head}\n\nStill waiting for:\n${report.reasons.map((r) => `- ${r}`).join('\n')}`;
}

const indexTypes = (builds: readonly ShadowBuild[]): string[] => [...new Set(builds.map((b) => b.indexType))];

/** The pointer of each index type (the one named, else every type built on the branch) and the last builds. */
async function shadowStatus(deps: IndexCommandDeps, scene: IndexCommandScene, indexType?: string): Promise<string> {
  const all = await deps.freeze.shadow.list({ ...scene.ref });
  const builds = indexType ? all.filter((s) => s.indexType === indexType) : all;
  const types = indexType ? [indexType] : indexTypes(all);
  const pointers = await Promise.all(types.map((t) => deps.freeze.shadow.pointer(scene.ref, t)));
  const heads = pointers.map(
    (p, i) =>
      `**${quietText(scene.ref.branch)}** ${quietCode(types[i] ?? '')} index: active ${quietCode(p.active ?? 'none')}, previous ${quietCode(p.previous ?? 'none')}.`,
  );
  const rows = builds
    .slice(-10)
    .map(
      (s) =>
        `| ${quietCode(s.id)} | ${quietCode(s.indexType)} | ${s.state} | ${s.progressPercent}% | ${s.etaSeconds ?? '—'} | ${s.treeHash.slice(0, 10)} |`,
    );
  const table = rows.length
    ? '| build | index | state | progress | ETA (s) | tree |\n| --- | --- | --- | --- | --- | --- |\n' + rows.join('\n')
    : `No shadow builds on **${quietText(scene.ref.branch)}**.`;
  return [...heads, ...(heads.length ? [''] : []), table].join('\n');
}

async function shadowSwitch(
  deps: IndexCommandDeps,
  reach: IndexReach | undefined,
  scene: IndexCommandScene,
  id: string | undefined,
): Promise<string> {
  if (!reach) return 'The indexing interface is not available in this deployment.';
  const currentTreeHash = await reach.treeHash(scene.ref, scene.pr);
  const built = await deps.freeze.shadow.list({ ...scene.ref, states: ['BUILT'] });
  const target = id ? built.find((s) => s.id === id) : (built.find((s) => s.treeHash === currentTreeHash) ?? built[0]);
  if (!target) return `No BUILT shadow index${id ? ` ${quietCode(id)}` : ''} on ${quietText(scene.ref.branch)}.`;
  const out = await deps.freeze.shadow.switch(target.id, { currentTreeHash }, scene.ctx);
  if (!out.switched) return `Not switched: ${out.errors.join('; ')}`;
  return `🔀 Switched ${quietText(scene.ref.branch)}'s ${quietCode(target.indexType)} index to ${quietCode(target.id)} (lock held ${Math.round(out.switchDurationMs)} ms); \`/shadow rollback\` swaps back.`;
}

/** Rolls the named index type back; without a name, the branch's only index type (several: ask which). */
async function shadowRollback(deps: IndexCommandDeps, scene: IndexCommandScene, named?: string): Promise<string> {
  const types = named ? [named] : indexTypes(await deps.freeze.shadow.list({ ...scene.ref }));
  const [indexType] = types;
  if (!indexType) return `No shadow index on ${quietText(scene.ref.branch)} to roll back.`;
  if (types.length > 1) return `Name the index to roll back: ${quietCode(`/shadow rollback <${types.join(' or ')}>`)}.`;
  // Nothing to roll back to is an answer for the commenter, not a failure of the webhook.
  const out = await deps.freeze.shadow.rollback(scene.ref, indexType, scene.ctx).catch((error: unknown) => {
    if (error instanceof IllegalShadowStateError)
      return { switched: false as const, errors: [quietText(error.message)] };
    throw error;
  });
  if (!out.switched) return `Not rolled back: ${out.errors.join('; ') || 'no previous index'}`;
  return `↩️ Rolled ${quietText(scene.ref.branch)}'s ${quietCode(indexType)} index back to ${quietCode(out.pointer.active ?? 'none')}.`;
}

/** Runs an index command (after the caller's RBAC check) and returns the reply text. */
export async function runIndexCommand(
  deps: IndexCommandDeps,
  reach: IndexReach | undefined,
  scene: IndexCommandScene,
  cmd: IndexCommand,
): Promise<string> {
  if (cmd.kind === 'auto-merge') return autoMerge(deps, reach, scene, cmd.enabled);
  if (cmd.action === 'status') return shadowStatus(deps, scene, cmd.arg);
  if (cmd.action === 'switch') return shadowSwitch(deps, reach, scene, cmd.arg);
  return shadowRollback(deps, scene, cmd.arg);
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
