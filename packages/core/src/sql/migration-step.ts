/** One statement of a migration plan, with what a reviewer needs to know before running it. */
export interface MigrationStep {
  /** The schema (table) the statement is about. */
  schema: string;
  /** The service that owns the schema (its `owner`), empty when the file names none. */
  owner: string;
  /** One SQL statement, ending in `;`. */
  sql: string;
  /** Loses data or breaks readers: drops, narrowing type changes. */
  destructive: boolean;
  /** Why the statement holds a heavy lock on an existing table, and the safer form where one exists. */
  lockWarning?: string;
  /** False for statements PostgreSQL refuses inside a transaction (`CREATE INDEX CONCURRENTLY`). */
  transactional: boolean;
  /**
   * Runs in a short transaction of its own once the main one has committed: a `VALIDATE CONSTRAINT` scans the
   * table under a light lock only when no heavier lock of the main transaction is still held (and what needs
   * the validated constraint, such as `SET NOT NULL`, follows it).
   */
  ownTransaction?: boolean;
  /** Anything else worth knowing (for example: fails if the table already holds rows). */
  note?: string;
}
