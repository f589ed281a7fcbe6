import type { SqlClient } from './sql-client.js';

/** Schema migrations, applied in order once each; ids never change once shipped. */
export const MIGRATIONS: readonly { id: number; name: string; sql: string | readonly string[] }[] = [
  {
    id: 1,
    name: 'branch states and locks',
    sql: `
      CREATE TABLE aegis_branches (
        repo text NOT NULL, branch text NOT NULL,
        state text NOT NULL DEFAULT 'ACTIVE', since bigint NOT NULL DEFAULT 0,
        reason text NOT NULL DEFAULT '', actor text NOT NULL DEFAULT '',
        version bigint NOT NULL DEFAULT 0, token_seq bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (repo, branch));
      CREATE TABLE aegis_locks (
        id text PRIMARY KEY, repo text NOT NULL, branch text NOT NULL,
        scope text NOT NULL, resource_type text, resource_id text, kind text NOT NULL,
        holder text NOT NULL, reason text NOT NULL, token bigint NOT NULL,
        created_at bigint NOT NULL, heartbeat_at bigint NOT NULL, expires_at bigint NOT NULL, ttl_ms bigint NOT NULL,
        meta jsonb NOT NULL DEFAULT '{}');
      CREATE INDEX aegis_locks_branch ON aegis_locks (repo, branch, expires_at);`,
  },
  {
    id: 2,
    name: 'shadow builds and index pointers',
    sql: `
      CREATE TABLE aegis_shadows (
        id text PRIMARY KEY, repo text NOT NULL, branch text NOT NULL, index_type text NOT NULL,
        state text NOT NULL, resource_types jsonb NOT NULL, tree_hash text NOT NULL,
        progress_percent double precision NOT NULL DEFAULT 0, eta_seconds double precision,
        record_count bigint, size_bytes bigint, created_at bigint NOT NULL, updated_at bigint NOT NULL,
        completed_at bigint, error text);
      CREATE UNIQUE INDEX aegis_shadows_in_flight ON aegis_shadows (repo, branch, index_type)
        WHERE state IN ('PREPARING', 'BUILDING', 'BUILT', 'SWITCHING');
      CREATE TABLE aegis_index_pointers (
        repo text NOT NULL, branch text NOT NULL, index_type text NOT NULL,
        active text, previous text, switched_at bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (repo, branch, index_type));`,
  },
  {
    id: 3,
    name: 'delivery dedupe',
    sql: `CREATE TABLE aegis_dedupe (key text PRIMARY KEY, expires_at bigint NOT NULL);`,
  },
  {
    id: 4,
    name: 'audit log',
    sql: `
      CREATE TABLE aegis_audit (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, at timestamptz NOT NULL,
        repo text NOT NULL, branch text NOT NULL, actor text NOT NULL, issue text, action text NOT NULL,
        resource_type text, resource_id text, old jsonb, new jsonb, reason text, delivery text);
      CREATE INDEX aegis_audit_branch ON aegis_audit (repo, branch, seq);
      CREATE INDEX aegis_audit_issue ON aegis_audit (issue, seq);
      CREATE INDEX aegis_audit_action ON aegis_audit (action, seq);
      CREATE INDEX aegis_audit_actor ON aegis_audit (actor, seq);
      CREATE INDEX aegis_audit_at ON aegis_audit (at);`,
  },
  {
    // Statements listed one by one: the function body has semicolons of its own.
    id: 5,
    name: 'audit log append-only, hash-chained',
    sql: [
      'ALTER TABLE aegis_audit ADD COLUMN prev_hash text, ADD COLUMN hash text',
      `CREATE FUNCTION aegis_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'aegis_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
       END $$`,
      `CREATE TRIGGER aegis_audit_no_change BEFORE UPDATE OR DELETE ON aegis_audit
       FOR EACH ROW EXECUTE FUNCTION aegis_audit_append_only()`,
      `CREATE TRIGGER aegis_audit_no_truncate BEFORE TRUNCATE ON aegis_audit
       FOR EACH STATEMENT EXECUTE FUNCTION aegis_audit_append_only()`,
    ],
  },
  {
    // Additive: older rows keep NULL, which the chain hash leaves out, so they still verify.
    id: 6,
    name: 'audit client address and user agent (seed 004)',
    sql: 'ALTER TABLE aegis_audit ADD COLUMN ip_address text, ADD COLUMN user_agent text',
  },
  {
    // Small sets that outlive a delivery: who pushed to a pull request (aegis/rbac judges each of them).
    id: 7,
    name: 'member sets',
    sql: `CREATE TABLE aegis_members (
        key text NOT NULL, member text NOT NULL, seq bigserial NOT NULL, expires_at bigint NOT NULL,
        PRIMARY KEY (key, member))`,
  },
  {
    // Derived values kept across restarts and shared by replicas (`SqlCache`): the bot's parsed schema files.
    id: 8,
    name: 'cache',
    sql: `CREATE TABLE aegis_cache (
        namespace text NOT NULL, key text NOT NULL, value text NOT NULL, seq bigserial NOT NULL,
        PRIMARY KEY (namespace, key))`,
  },
];

/** A migration's statements: a list as written, or a script split at semicolons. */
function statements(sql: string | readonly string[]): readonly string[] {
  if (typeof sql !== 'string') return sql;
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** An arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 4_242_001;

/** Applies pending migrations in one transaction under an advisory lock (safe with several processes). */
export async function migrate(sql: SqlClient): Promise<number[]> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS aegis_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await tx.query<{ id: number }>('SELECT id FROM aegis_migrations')).map((r) => Number(r.id)));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      for (const stmt of statements(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO aegis_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
      applied.push(m.id);
    }
    return applied;
  });
}
