/** A schema file with an `id` key and one nullable UUID column per referenced schema (graph tests). */
export function referencingSchema(name: string, owner: string, targets: string[]): string {
  const columns = targets.map((_, i) => `  - { name: ref_${i}, type: UUID, nullable: true }`);
  const references = targets.map((t, i) => `  - { schema: ${t}, column: id, foreign_key: ref_${i} }`);
  return [
    `name: ${name}`,
    `owner: ${owner}`,
    'version: 1.0.0',
    'columns:',
    '  - { name: id, type: UUID, primary_key: true }',
    ...columns,
    ...(references.length ? ['references:', ...references] : []),
  ].join('\n');
}
