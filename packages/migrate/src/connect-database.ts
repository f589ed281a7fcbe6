import pg from 'pg';
import { MigrateError } from './errors.js';
import { redactUrl } from './redact-url.js';
import { describeServerError, isServerError } from './server-error.js';

/**
 * The one method the migrate package needs of a connected client: `pg.Client` fits, and so does any
 * client a caller already has (tests, the bot), without depending on the same copy of pg.
 */
export interface SqlClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are typed per query by the caller
  query<R extends Record<string, any> = Record<string, unknown>>(
    sql: string,
    values?: unknown[],
  ): Promise<{ rows: R[] }>;
}

/** Options of `connectDatabase`. */
export interface ConnectOptions {
  /** Give up connecting after this long (default 10 s): an unreachable host must not hang CI. */
  timeoutMs?: number;
}

/** Checks the URL's shape before any network traffic, so a typo is named as a typo. */
export function checkDatabaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MigrateError(
      'bad-url',
      `"${url.length > 80 ? `${url.slice(0, 80)}…` : url}" is not a URL. Give --database-url as postgresql://user[:password]@host[:port]/database.`,
    );
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new MigrateError(
      'bad-url',
      `${redactUrl(url)}: the scheme must be postgresql:// (got ${parsed.protocol}//).`,
    );
  }
  if (parsed.pathname.length <= 1)
    throw new MigrateError(
      'bad-url',
      `${redactUrl(url)}: name the database in the URL path (postgresql://host/database).`,
    );
  return parsed;
}

/** A one-line reason a connection failed, from the driver's or the server's error. */
function connectFailure(url: string, error: unknown): MigrateError {
  const where = redactUrl(url);
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED')
    return new MigrateError(
      'unreachable',
      `cannot connect to ${where}: connection refused. Is PostgreSQL running there, and is the port right?`,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new MigrateError(
      'unreachable',
      `cannot connect to ${where}: unknown host. Check the host name in --database-url.`,
    );
  if (
    code === 'ETIMEDOUT' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    /timeout/i.test(String((error as Error).message))
  ) {
    return new MigrateError(
      'unreachable',
      `cannot connect to ${where}: no answer (${code ?? 'timeout'}). Check the host, the port and any firewall.`,
    );
  }
  if (code === '3D000')
    return new MigrateError(
      'connection',
      `cannot connect to ${where}: ${describeServerError(error)}. Create the database first or fix its name.`,
    );
  if (code === '28P01' || code === '28000')
    return new MigrateError(
      'permission',
      `cannot connect to ${where}: ${describeServerError(error)}. Check the user and password.`,
    );
  if (isServerError(error))
    return new MigrateError('connection', `cannot connect to ${where}: ${describeServerError(error)}`);
  return new MigrateError('unreachable', `cannot connect to ${where}: ${describeServerError(error)}`);
}

/**
 * Connects to PostgreSQL. Every failure is a `MigrateError` with one line that names the URL (password hidden)
 * and what to do: a malformed URL (`bad-url`), nothing listening or no such host (`unreachable`), bad
 * credentials (`permission`), a missing database (`connection`).
 */
export async function connectDatabase(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  checkDatabaseUrl(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.timeoutMs ?? 10_000,
    application_name: 'aegis migrate',
  });
  // A connection lost later surfaces through the failing query; without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectFailure(url, error);
  }
  return client;
}

/** The same server, another database: the URL with its path replaced (for throwaway databases). */
export function urlForDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
