import type { ApplicationFunction, Probot } from 'probot';
import { botContext } from './bot-context.js';
import type { AegisDeps, BotContext } from './bot-context.js';
import { ConfigError } from './errors.js';
import { botGate } from './gate/bot-gate.js';
import { reevaluateFreeze } from './gate/reevaluate-freeze.js';
import { octokitGitHub } from './github.js';
import type { EventContext } from './handlers/event-scope.js';
import { onCheckRun } from './handlers/on-check-run.js';
import { onCheckSuite } from './handlers/on-check-suite.js';
import { onIssueComment } from './handlers/on-issue-comment.js';
import { onPullRequest } from './handlers/on-pull-request.js';
import { onPullRequestReview } from './handlers/on-pull-request-review.js';
import { onBranchLifecycle } from './handlers/on-branch-lifecycle.js';
import { onPush } from './handlers/on-push.js';
import { onRepositoryDispatch } from './handlers/on-repository-dispatch.js';
import type { OperationContext, RepoAccess } from './indexing/index.js';
import { operationContext, repoOperations } from './indexing/operation-context.js';
import type { OperationParts } from './indexing/operation-context.js';
import type { Log } from './log.js';

/** The events the app subscribes to (app.yml lists the same). */
export const APP_EVENTS = {
  pull_request: ['opened', 'synchronize', 'reopened', 'edited', 'closed'],
  issue_comment: ['created', 'edited', 'deleted'],
  check_run: ['rerequested'],
  check_suite: ['requested', 'rerequested'],
  pull_request_review_comment: ['created'],
  pull_request_review: ['submitted'],
  repository_dispatch: ['*'],
  push: ['*'],
  delete: ['*'],
} as const;

interface WatchPayload {
  repository?: { full_name: string; default_branch: string; clone_url?: string };
  installation?: { id: number };
}

function route(
  bot: BotContext,
  app: Probot,
  events: string[],
  handler: (context: EventContext) => Promise<void>,
): void {
  const timed = async (context: EventContext): Promise<void> => {
    const stop = bot.metrics.webhookDuration.startTimer({ event: context.name });
    const { repository, installation } = context.payload as WatchPayload;
    if (repository) {
      const repo = {
        fullName: repository.full_name,
        defaultBranch: repository.default_branch,
        cloneUrl: repository.clone_url,
      };
      bot.watcher.remember(repo, installation?.id);
    }
    try {
      await handler(context);
      stop({ outcome: 'ok' });
    } catch (error) {
      stop({ outcome: 'error' });
      throw error;
    }
  };
  // Probot's typed `on` wants literal event names; the handler only needs the structural EventContext.
  (app.on as (e: string[], h: (c: EventContext) => Promise<void>) => void)(events, timed);
}

/** The app, its context, and — once Probot has loaded the app — the indexing operations' context. */
export interface AegisApp {
  app: ApplicationFunction;
  bot: BotContext;
  /** The operations' context the app was loaded with (the HTTP API and NATS run operations in it). */
  operations: () => OperationContext;
}

/** Every webhook the app handles, each to its handler with the few parts of the context it uses. */
function routeEvents(bot: BotContext, probot: Probot, ops: OperationContext, parts: OperationParts): void {
  const on = (events: readonly string[], handler: (context: EventContext) => Promise<void>) =>
    route(bot, probot, [...events], handler);
  on(
    APP_EVENTS.pull_request.map((a) => `pull_request.${a}`),
    onPullRequest(bot, ops.gate),
  );
  on(
    APP_EVENTS.issue_comment.map((a) => `issue_comment.${a}`),
    onIssueComment(bot, ops),
  );
  on(['check_run.rerequested'], onCheckRun(bot, ops.gate));
  on(['check_suite.requested', 'check_suite.rerequested'], onCheckSuite(bot, ops.gate));
  // Commands typed in a review comment or a review's body: answered with where to type them.
  on(['pull_request_review_comment.created', 'pull_request_review.submitted'], onPullRequestReview(bot));
  // The indexing service's operations sent as `aegis.*` dispatch events (docs/indexing-api.md).
  const { mirror, actors, config, freeze, schemaEvents } = bot;
  const operationsIn = (access: RepoAccess, log: Log) => repoOperations(parts, access, log);
  on(['repository_dispatch'], onRepositoryDispatch({ mirror, actors, config, operationsIn }));
  // Merged registry changes → schema.changed on NATS (docs/events.md); a no-op without NATS_URL.
  on(['push'], onPush({ freeze, config, mirror, schemaEvents }));
  // Seed 000's ARCHIVED: a deleted branch is archived (locks released), a re-created one restored.
  on(['push', 'delete'], onBranchLifecycle(bot));
}

/**
 * The Aegis GitHub App as a Probot application function. Everything stateful is injected (stores through
 * the freeze facade, the mirror, the clock), so tests and `startBot` wire the same app. Loading it builds
 * the operations' context (with the gate every event publishes checks through) from Probot's `auth`.
 */
export function createAegisApp(deps: AegisDeps): AegisApp {
  const bot = botContext(deps);
  // The operations see only their part of the bot; the gate is made over the whole of it, here.
  const parts: OperationParts = { bot, gate: (afterChecks) => botGate(bot, afterChecks) };
  let operations: OperationContext | undefined;
  const app: ApplicationFunction = (probot) => {
    const ops = operationContext(parts, (id) => probot.auth(id), { ...deps.operations, log: probot.log });
    operations = ops;
    bot.watcher.connect(
      async (id, fullName) => octokitGitHub(await probot.auth(id), fullName),
      (gh, repo, branch, affected) => reevaluateFreeze(ops.gate, { gh, repo, log: probot.log }, branch, affected),
    );
    routeEvents(bot, probot, ops, parts);
  };
  const loaded = (): OperationContext => {
    if (!operations) throw new ConfigError('the app has not been loaded by Probot yet');
    return operations;
  };
  return { app, bot, operations: loaded };
}
