import { octokitGitHub } from '../github.js';
import type { OctokitLike } from '../github.js';
import type { Log } from '../log.js';
import { autoMergeAfterChecks } from '../auto-merge/after-checks.js';
import { octokitMergeApi } from '../auto-merge/merge-api.js';
import type { MergeApiOptions } from '../auto-merge/merge-api.js';
import type { AfterChecks, Gate } from '../gate/gate-ports.js';
import type { OperationBot, OperationContext, RepoAccess } from './index.js';

/** Probot's `auth`: no id → the app itself (JWT); an installation id → that installation. */
export type AppAuth = (installationId?: number) => Promise<unknown>;

/**
 * What an operations' context is made of: the bot's parts the operations use (its configuration also says how
 * auto-merge merges), and the checks' pipeline the app wires over its own parts, given auto-merge's turn in
 * the context being made.
 */
export interface OperationParts {
  bot: OperationBot & { config: MergeApiOptions };
  gate: (afterChecks: AfterChecks) => Gate;
}

/** Options of `operationContext`. */
export interface OperationContextOptions {
  defaultRepo?: string;
  autoSwitch?: boolean;
  log?: OperationContext['log'];
}

/**
 * The context the indexing handlers run in. A repository's installation is looked up once with the app's
 * JWT (`GET /repos/{owner}/{repo}/installation`) and cached, so any replica can act on any repository the app
 * is installed on — not only those it has received a webhook from.
 */
export function operationContext(
  parts: OperationParts,
  auth: AppAuth,
  options: OperationContextOptions = {},
): OperationContext {
  const installations = new Map<string, Promise<RepoAccess | undefined>>();
  const open = async (fullName: string): Promise<RepoAccess | undefined> => {
    const [owner, repo] = fullName.split('/');
    const app = (await auth()) as OctokitLike;
    const found = await app
      .request('GET /repos/{owner}/{repo}/installation', { owner, repo })
      .catch((error: unknown) => {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      });
    if (!found) return undefined;
    const octokit = (await auth((found.data as { id: number }).id)) as OctokitLike;
    const gh = { ...octokitGitHub(octokit, fullName), ...octokitMergeApi(octokit, fullName, parts.bot.config) };
    const info = await gh.repository();
    return {
      gh,
      info: { fullName, defaultBranch: info.defaultBranch, ...(info.cloneUrl ? { cloneUrl: info.cloneUrl } : {}) },
    };
  };
  const ops: Omit<OperationContext, 'gate'> = {
    bot: parts.bot,
    ...(options.defaultRepo ? { defaultRepo: options.defaultRepo } : {}),
    ...(options.autoSwitch ? { autoSwitch: true } : {}),
    ...(options.log ? { log: options.log } : {}),
    github: (fullName) => {
      let access = installations.get(fullName);
      if (!access) {
        access = open(fullName);
        installations.set(fullName, access);
        // A failed lookup (GitHub down, app not installed yet) is retried next time.
        access.then(
          (a) => a ?? installations.delete(fullName),
          () => installations.delete(fullName),
        );
      }
      return access;
    },
  };
  return withGate(ops, parts.gate);
}

/**
 * Completes an operation context with its gate: the checks' pipeline whose auto-merge turn runs in this same
 * context (so an operation, a command and a PR event reach auto-merge the same way, explicitly).
 */
export function withGate(ops: Omit<OperationContext, 'gate'>, gate: OperationParts['gate']): OperationContext {
  const full = { ...ops } as OperationContext;
  full.gate = gate(autoMergeAfterChecks(full));
  return full;
}

/**
 * The operations' context of one repository whose GitHub access a webhook already gave (its installation):
 * no lookup, and no other repository reachable.
 */
export function repoOperations(parts: OperationParts, access: RepoAccess, log: Log): OperationContext {
  const { fullName } = access.info;
  const ops = {
    bot: parts.bot,
    defaultRepo: fullName,
    log,
    github: async (name: string) => (name === fullName ? access : undefined),
  };
  return withGate(ops, parts.gate);
}
