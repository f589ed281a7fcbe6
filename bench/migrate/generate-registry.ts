/** Generated registries for bench/migrate: deterministic, with the shapes real registries have. */

const name = (i: number): string => `m_${String(i).padStart(4, '0')}`;

/**
 * One schema file: a primary key, a unique code, money, a timestamp, a status with a default, a parent
 * reference (a tree: every table but the first references an earlier one), a self-reference every 10th
 * table, and two indexes. `changed` adds what a release adds: a nullable column and an index on it.
 */
export function schemaFile(i: number, changed = false): string {
  const lines = [
    `name: ${name(i)}`,
    `owner: service-${i % 25}`,
    `version: ${changed ? '1.1.0' : '1.0.0'}`,
    'columns:',
    '  - { name: id, type: BIGINT, nullable: false, primary_key: true }',
    '  - { name: code, type: VARCHAR(40), nullable: false, unique: true }',
    '  - { name: amount, type: "DECIMAL(15,2)", nullable: true }',
    '  - { name: created_at, type: TIMESTAMPTZ, nullable: false, default: "now()" }',
    `  - { name: status, type: VARCHAR(20), nullable: false, default: "'new'" }`,
  ];
  const refs: string[] = [];
  if (i > 0) {
    lines.push('  - { name: parent_id, type: BIGINT, nullable: true }');
    refs.push(
      `  - { schema: ${name(Math.floor((i - 1) / 4))}, column: id, foreign_key: parent_id, on_delete: SET NULL }`,
    );
  }
  if (i % 10 === 0) {
    lines.push('  - { name: previous_id, type: BIGINT, nullable: true }');
    refs.push(`  - { schema: ${name(i)}, column: id, foreign_key: previous_id }`);
  }
  if (changed) lines.push('  - { name: archived_at, type: TIMESTAMPTZ, nullable: true }');
  if (refs.length) lines.push('references:', ...refs);
  lines.push('indexes:', `  - { name: idx_${name(i)}_status, columns: [status, created_at] }`);
  if (changed) lines.push(`  - { name: idx_${name(i)}_archived, columns: [archived_at] }`);
  return `${lines.join('\n')}\n`;
}

/** `.kiro/schemas/<name>.yaml` → text for `count` schemas; the first `changedCount` carry the change. */
export function registryFiles(count: number, changedCount = 0): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`.kiro/schemas/${name(i)}.yaml`] = schemaFile(i, i < changedCount);
  return files;
}
