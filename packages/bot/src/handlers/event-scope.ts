import type { FreezeService } from '@aegis/freeze';
import type { BotConfig } from '../bot-context.js';
import { octokitGitHub } from '../github.js';
import type { GitHubPort, OctokitLike } from '../github.js';
import type { Log } from '../log.js';
import type { RepoInfo } from '../repo-info.js';

/** The parts of a Probot context every handler uses (structural: tests and Probot both fit). */
export interface EventContext {
  id: string;
  name: string;
  payload: unknown;
  octokit: unknown;
  log: Log;
}

interface RepoPayload {
  repository: { full_name: string; default_branch: string; clone_url?: string; html_url?: string };
}

/** The repository, its GitHub port and the delivery of one event. */
export interface EventScope {
  repo: RepoInfo;
  gh: GitHubPort;
  delivery: string;
  log: Log;
}

/** Builds the scope of an event from its payload. */
export function eventScope(context: EventContext): EventScope {
  const { repository } = context.payload as RepoPayload;
  return {
    repo: {
      fullName: repository.full_name,
      defaultBranch: repository.default_branch,
      cloneUrl: repository.clone_url,
      htmlUrl: repository.html_url,
    },
    gh: octokitGitHub(context.octokit as OctokitLike, repository.full_name),
    delivery: context.id,
    log: context.log,
  };
}

/** What running work once per delivery needs: the store's dedupe and its window. */
export interface DeliveryDeps {
  freeze: Pick<FreezeService, 'firstDelivery' | 'forgetDelivery'>;
  config: Pick<BotConfig, 'dedupeTtlMs'>;
}

/**
 * Runs `work` once per delivery: a redelivered webhook (same `X-GitHub-Delivery`) is acknowledged and
 * skipped — once its work succeeded. Work that failed forgets the delivery, so GitHub's "Redeliver" (which
 * reuses the id) runs it again. If the store cannot be asked, the event is processed (checks are idempotent;
 * locks are not taken twice because the store itself is down).
 */
export async function oncePerDelivery(
  bot: DeliveryDeps,
  context: EventContext,
  commit: string,
  work: () => Promise<void>,
): Promise<void> {
  return oncePer(bot, context, `delivery:${context.id}`, commit, work);
}

/**
 * Runs `work` once per `key` (+ `commit`) within the dedupe window. Commands key on the comment's id, which
 * the webhook signature covers: the delivery id is only a header, so a signed body re-posted under a fresh
 * `X-GitHub-Delivery` must not run again.
 */
export async function oncePer(
  bot: DeliveryDeps,
  context: EventContext,
  key: string,
  commit: string,
  work: () => Promise<void>,
): Promise<void> {
  const first = await bot.freeze.firstDelivery(key, commit, bot.config.dedupeTtlMs).catch((error: unknown) => {
    context.log.warn({ err: error }, 'delivery dedupe unavailable; processing anyway');
    return true;
  });
  if (!first) {
    context.log.info({ delivery: context.id, key }, 'duplicate delivery skipped');
    return;
  }
  try {
    await work();
  } catch (error) {
    // Forget what was marked (the comment id for a command), so the redelivery runs the work again.
    await bot.freeze.forgetDelivery(key, commit).catch((forgetError: unknown) => {
      context.log.warn({ err: forgetError, delivery: context.id }, 'a failed delivery could not be forgotten');
    });
    throw error;
  }
}
