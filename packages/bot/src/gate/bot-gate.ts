import { syncAuditComment } from '../audit/audit-comment.js';
import type { BotContext } from '../bot-context.js';
import type { AfterChecks, Gate } from './gate-ports.js';

/** The gate over the bot's stores, mirror and metrics; `afterChecks` is auto-merge's turn where it is wired. */
export function botGate(bot: BotContext, afterChecks?: AfterChecks): Gate {
  return {
    freeze: bot.freeze,
    mirror: bot.mirror,
    cache: bot.cache,
    actors: bot.actors,
    config: bot.config,
    checkRuns: bot.metrics.checkRuns,
    syncAuditComment: (gh, issue, pr, log) => syncAuditComment(bot, gh, issue, pr, log),
    afterChecks,
  };
}
