/**
 * The errors the bot throws on purpose, each with a stable `code` (as `@aegis/freeze`'s errors.ts does), so
 * other packages and transports decide by `code` or `instanceof`, never by `name` or message text.
 */

/** Stable codes of the bot's errors. */
export const BOT_ERROR_CODES = {
  forbidden: 'forbidden',
  http: 'http',
  config: 'config',
  unpublished: 'unpublished',
} as const;

/** A code of `BOT_ERROR_CODES`. */
export type BotErrorCode = (typeof BOT_ERROR_CODES)[keyof typeof BOT_ERROR_CODES];

/** Base class of every error this package throws on purpose. */
export class BotError extends Error {
  /** Stable machine-readable code. */
  readonly code: BotErrorCode;
  constructor(code: BotErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A principal whose roles lack the permission an action needs (HTTP 403; audited before it is thrown). */
export class ForbiddenError extends BotError {
  constructor(
    /** Who was refused (a login, a token's name, a dispatch sender). */
    readonly identity: string,
    /** The roles they hold. */
    readonly roles: readonly string[],
    /** The permission the action needs (`index:start`, …). */
    readonly permission: string,
  ) {
    super(BOT_ERROR_CODES.forbidden, `${identity} (${roles.join(', ') || 'no role'}) lacks ${permission}`);
  }
}

/** A request answered with a status and a JSON body (thrown by the HTTP API's routes). */
export class HttpError extends BotError {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(BOT_ERROR_CODES.http, String(body['message'] ?? body['error']));
  }
}

/** The environment or options the bot was started with are unusable (a required variable is missing, …). */
export class ConfigError extends BotError {
  constructor(message: string) {
    super(BOT_ERROR_CODES.config, message);
  }
}

/** Whether `error` is a refusal for lack of permission, from any package (by code, not by name). */
export function isForbidden(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === BOT_ERROR_CODES.forbidden;
}

/**
 * Some check runs of a pull request could not be published (GitHub kept refusing them) although the others
 * were: the delivery fails, so it is not marked done and GitHub's "Redeliver" runs it again.
 */
export class ChecksUnpublishedError extends BotError {
  constructor(readonly checks: readonly string[]) {
    super(BOT_ERROR_CODES.unpublished, `GitHub refused to publish ${checks.join(', ')}; redeliver to run them again`);
  }
}
