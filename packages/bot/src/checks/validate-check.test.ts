import { buildRegistry, checkChange, loadRegistry, memoryFileSource } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { validateCheck } from './validate-check.js';
import type { ChangedSchema } from './validate-check.js';

const name = (i: number): string => `t${String(i).padStart(4, '0')}`;

/** Table `i` references table `i - 1`: changing t0000 touches every other table. */
function schemaText(i: number): string {
  const lines = [`name: ${name(i)}`, `owner: svc-${i % 3}`, 'version: 1.0.0', 'columns:'];
  lines.push('  - { name: id, type: UUID, primary_key: true }');
  if (i > 0) lines.push('  - { name: prev, type: UUID }', 'references:');
  if (i > 0) lines.push(`  - { schema: ${name(i - 1)}, column: id, foreign_key: prev }`);
  return lines.join('\n');
}

describe('validateCheck on a pull request of many files', () => {
  it('lists a bounded summary: the first 50 changed files, 10 dependents each, one line for the rest', async () => {
    const count = 600;
    const files = Object.fromEntries(Array.from({ length: count }, (_, i) => [`s/${name(i)}.yaml`, schemaText(i)]));
    const head = await loadRegistry(memoryFileSource(files));
    const changed: ChangedSchema[] = Array.from({ length: count }, (_, i) => ({
      status: 'added',
      path: `s/${name(i)}.yaml`,
      name: name(i),
      owner: `svc-${i % 3}`,
    }));
    const result = validateCheck({ head, checked: checkChange({ base: buildRegistry([]), head }), changed });
    expect(result.conclusion).toBe('success');
    const listed = result.summary.split('\n').filter((l) => /^- added /.test(l));
    expect(listed).toHaveLength(50);
    expect(result.summary).toContain('- …and 550 more changed files');
    const first = result.summary.split('\n').find((l) => l.startsWith('  - depended on by'));
    expect(first).toBe(
      `  - depended on by \`t0001\`, ${Array.from({ length: 9 }, (_, i) => `\`${name(i + 2)}\` (indirect)`).join(', ')}, …`,
    );
    // Every file changed: nothing outside the change depends on it.
    expect(result.summary).not.toMatch(/depend on this change/);

    const one = validateCheck({ head, checked: { results: new Map() }, changed: changed.slice(0, 1) });
    expect(one.summary).toContain('599 other schemas depend on this change; services: svc-0, svc-1, svc-2');
  });
});
