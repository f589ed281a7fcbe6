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

  it('escapes table cells and says when nothing depends on a schema', async () => {
    const text = 'name: notes\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true, description: "a | b" }\n';
    const docs = renderDocs(await loadRegistry(memoryFileSource({ 's/notes.yaml': text })));
    expect(docs).toContain('| `id` | `UUID` | no | PK |  | a \\| b |');
    expect(docs).toContain('_Nothing references this schema._');
    expect(docs.startsWith('# Schema registry\n\n1 schema.')).toBe(true);
  });
});
