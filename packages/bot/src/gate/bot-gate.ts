import { syncAuditComment } from '../audit/audit-comment.js';
import type { AuditCommentDeps } from '../audit/audit-comment.js';
import type { AfterChecks, Gate } from './gate-ports.js';
import { PullHeads } from './pull-heads.js';

/** The bot's parts a gate is made of: the facts' sources, the publisher's store and metric, the audit comments. */
export interface GateSources extends Pick<Gate, 'mirror' | 'cache' | 'actors'>, AuditCommentDeps {
  freeze: Gate['freeze'] & AuditCommentDeps['freeze'];
  config: Gate['config'] & AuditCommentDeps['config'];
  metrics: { checkRuns: Gate['checkRuns'] };
}

/** The gate over the bot's stores, mirror and metrics; `afterChecks` is auto-merge's turn where it is wired. */
export function botGate(bot: GateSources, afterChecks?: AfterChecks): Gate {
  return {
    freeze: bot.freeze,
    mirror: bot.mirror,
    cache: bot.cache,
    actors: bot.actors,
    config: bot.config,
    checkRuns: bot.metrics.checkRuns,
    syncAuditComment: (gh, issue, pr, log) => syncAuditComment(bot, gh, issue, pr, log),
    afterChecks,
    heads: new PullHeads(),
  };
}
