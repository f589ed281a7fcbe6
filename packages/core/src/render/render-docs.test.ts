import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import { exampleFiles } from '../test-support/fixtures.js';
import { renderDocs } from './render-docs.js';

describe('renderDocs', () => {
  it('documents the example registry (snapshot)', async () => {
    const docs = renderDocs(await loadRegistry(memoryFileSource(exampleFiles())));
    await expect(docs).toMatchFileSnapshot('./__snapshots__/example-docs.md');
    expect(docs).toContain('| [`users`](#users) | user-service | 1.0.0 | 8 | Users of the platform |');
    expect(docs).toContain('| `reviewed_by` | [`users`](#users).`id` | SET NULL | CASCADE | The reviewer |');
    expect(docs).toContain('Services to notify of a change: `application-service`, `audit-service`, `policy-service`.');
    expect(docs).toContain('```mermaid\nerDiagram\n');
  });

  it('lists direct dependents, then a bounded list of indirect ones', async () => {
    const name = (i: number) => `t${String(i).padStart(2, '0')}`;
    const files = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => {
        const reference =
          i > 0
            ? `  - { name: prev_id, type: UUID }\nreferences:\n  - { schema: ${name(i - 1)}, column: id, foreign_key: prev_id }\n`
            : '';
        return [
          `s/${name(i)}.yaml`,
          `name: ${name(i)}\nowner: svc-${i % 3}\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n${reference}`,
        ];
      }),
    );
    const docs = renderDocs(await loadRegistry(memoryFileSource(files)));
    const section = docs.slice(docs.indexOf('## t00\n'), docs.indexOf('## t01\n'));
    expect(section).toContain('- directly: [`t01`](#t01)\n');
    expect(section).toContain('- indirectly: [`t02`](#t02), ');
    expect(section).toContain('[`t21`](#t21), … (3 more)\n');
    expect(section).toContain('Services to notify of a change: `svc-0`, `svc-1`, `svc-2`.');
  });

  it('escapes table cells and says when nothing depends on a schema', async () => {
    const text =
      'name: notes\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true, description: "a | b" }\n';
    const docs = renderDocs(await loadRegistry(memoryFileSource({ 's/notes.yaml': text })));
    expect(docs).toContain('| `id` | `UUID` | no | PK |  | a \\| b |');
    expect(docs).toContain('_Nothing references this schema._');
    expect(docs.startsWith('# Schema registry\n\n1 schema.')).toBe(true);
  });
});
