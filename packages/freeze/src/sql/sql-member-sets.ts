import type { SqlClient, SqlQueryable } from './sql-client.js';

// Milliseconds from the database clock, as every expiry here is decided.
const NOW = 'floor(extract(epoch FROM clock_timestamp()) * 1000)::float8';

/**
 * Adds `member` to the set `key` and keeps the whole set `ttlMs` from now; true when the member was not in it.
 * One transaction: lapsed members go, the member is added (again, if it had lapsed), the set's expiry moves.
 */
export async function addSqlMember(sql: SqlClient, key: string, member: string, ttlMs: number): Promise<boolean> {
  return sql.transaction(async (tx) => {
    await tx.query(`DELETE FROM aegis_members WHERE key = $1 AND expires_at <= ${NOW}`, [key]);
    const added = await tx.query(
      `INSERT INTO aegis_members (key, member, expires_at) VALUES ($1, $2, ${NOW} + $3::float8)
       ON CONFLICT (key, member) DO NOTHING RETURNING member`,
      [key, member, ttlMs],
    );
    await tx.query(`UPDATE aegis_members SET expires_at = ${NOW} + $2::float8 WHERE key = $1`, [key, ttlMs]);
    return added.length > 0;
  });
}

/** The live members of the set `key`, in the order they were added. */
export async function sqlMembers(sql: SqlQueryable, key: string): Promise<string[]> {
  const rows = await sql.query<{ member: string }>(
    `SELECT member FROM aegis_members WHERE key = $1 AND expires_at > ${NOW} ORDER BY seq`,
    [key],
  );
  return rows.map((r) => r.member);
}
