/**
 * Why a migration command stopped. `usage` kinds (bad URL, unreachable server, missing rights, a busy
 * database, a bad ref) are problems of the setup: the CLI prints the message as one line and exits 2.
 * `step-failed`, `drift` and `validation` are findings about the migration itself: exit 1.
 */
export type MigrateErrorKind =
  | 'bad-url'
  | 'unreachable'
  | 'connection'
  | 'permission'
  | 'busy'
  | 'history'
  | 'registry'
  | 'validation'
  | 'drift'
  | 'step-failed';

const FINDINGS: ReadonlySet<MigrateErrorKind> = new Set(['validation', 'drift', 'step-failed']);

/** The base of every error `@aegis/migrate` throws on purpose; the message is one line a person can act on. */
export class MigrateError extends Error {
  override name = 'MigrateError';
  constructor(
    readonly kind: MigrateErrorKind,
    message: string,
  ) {
    super(message);
  }

  /** 1 for findings about the migration (it failed, drift), 2 for setup problems (URL, server, rights). */
  get exitCode(): 1 | 2 {
    return FINDINGS.has(this.kind) ? 1 : 2;
  }
}
