/** The logger every part of the bot is handed (a subset of Probot's pino). */
export interface Log {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/** A logger that drops everything (where a caller was given none). */
export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
