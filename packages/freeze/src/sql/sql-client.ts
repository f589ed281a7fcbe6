/** Something SQL can be run on: a client or an open transaction. Parameters are `$1`, `$2`… */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * The tiny SQL interface `SqlStateStore` and `SqlAuditLog` run on; the SAME SQL runs on both
 * implementations, `PgliteClient` (embedded, a data directory) and `PgClient` (PostgreSQL through `pg`).
 * Errors from an unreachable database surface as `StoreUnavailableError`.
 */
export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK when it throws). */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
