import { MigrateError } from './errors.js';

/** The fields of a PostgreSQL error the driver passes on (pg's `DatabaseError`). */
interface ServerErrorFields {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** Whether `error` came from the server (it carries a five-character SQLSTATE). */
export function isServerError(error: unknown): error is Error & ServerErrorFields {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** `permission denied for schema public (42501)`, with the server's detail, on one line. */
export function describeServerError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const fields = error as Error & ServerErrorFields;
  const parts = [fields.message.split('\n')[0] ?? fields.message];
  if (isServerError(error)) parts[0] += ` (SQLSTATE ${fields.code})`;
  if (fields.detail) parts.push(fields.detail.replace(/\s+/g, ' '));
  if (fields.hint) parts.push(`hint: ${fields.hint.replace(/\s+/g, ' ')}`);
  return parts.join('; ');
}

/** SQLSTATE class 42501 (insufficient_privilege) and 42000-ish "must be owner" errors are missing rights. */
export function isPermissionError(error: unknown): boolean {
  return isServerError(error) && (error.code === '42501' || /must be owner/.test(error.message));
}

/** A server error met outside a migration step (reading history, creating a database) as a `MigrateError`. */
export function setupError(what: string, error: unknown): MigrateError {
  if (error instanceof MigrateError) return error;
  if (isPermissionError(error)) {
    return new MigrateError(
      'permission',
      `${what}: ${describeServerError(error)}. Grant the role the rights it needs or use a role that has them.`,
    );
  }
  if (isServerError(error)) return new MigrateError('history', `${what}: ${describeServerError(error)}`);
  return new MigrateError('connection', `${what}: ${describeServerError(error)}`);
}
