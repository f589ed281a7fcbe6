/**
 * `@aegis/bot`: the Aegis GitHub App (Probot). `createAegisApp(deps)` for embedding and tests,
 * `startBot(env)` (= `serveBot(await readBotOptions(env))`) for `aegis bot`. See docs/github-app.md.
 */
export { createAegisApp, APP_EVENTS } from './create-aegis-app.js';
export { startBot } from './start-bot.js';
export { serveBot } from './bot-server.js';
export type { RunningBot } from './bot-server.js';
export { readBotOptions } from './read-bot-options.js';
export type { BotOptions, ProbotEnv } from './read-bot-options.js';
export type { AegisDeps, BotConfig, BotContext } from './bot-context.js';
export { RepoMirror } from './mirror/repo-mirror.js';
export { pullRegistryNeed } from './mirror/pull-registry-need.js';
export { octokitGitHub } from './github.js';
export type { GitHubPort, OctokitLike, PullFile } from './github.js';
export type { RepoMirrorOptions, TokenSource } from './mirror/repo-mirror.js';
export { ParseCache } from './mirror/parse-cache.js';
export { ActorResolver } from './rbac/resolve-actor.js';
export { CHECK_NAMES } from './checks/check-result.js';
export { budgetFloorMs } from './write-budget/write-budget.js';
export type { CheckName, CheckResult, CheckAnnotation } from './checks/check-result.js';
export { findLinkedIssue } from './checks/audit-check.js';
export { parseCommand } from './commands/parse-command.js';
// The indexing-service interface (docs/indexing-api.md): one handler per operation for every transport.
export type * from './indexing/index.js';
export { OPERATION_PERMISSIONS } from './indexing/index.js';
export { runOperation, OPERATION_HANDLERS } from './indexing/run-operation.js';
export { BotError, ForbiddenError, HttpError, ConfigError, BOT_ERROR_CODES, isForbidden } from './errors.js';
export type { BotErrorCode } from './errors.js';
export {
  authorize,
  ACTION_PERMISSIONS,
  SERVICE_ROLES_YAML,
  servicePolicy,
  tokenPrincipal,
  userPrincipal,
} from './rbac/authorize.js';
export type { Action, Authorization, Principal } from './rbac/authorize.js';
export { handleCloudEvent, cloudEventOperation, parseCloudEvent } from './indexing/cloud-event.js';
export { normaliseInput } from './indexing/normalise-input.js';
export { operationContext } from './indexing/operation-context.js';
export type { AppAuth, OperationContextOptions } from './indexing/operation-context.js';
export { ApiTokens, hashApiToken } from './api/api-tokens.js';
export type { ApiTokenEntry, ApiIdentity } from './api/api-tokens.js';
