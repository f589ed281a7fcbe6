import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Registry } from '../model.js';
import { diffDiagnostics } from './diff-diagnostics.js';
import { diffRegistries } from './diff-registries.js';
import { renderDiffErd } from './render-diff-erd.js';
import { renderDiffMarkdown, renderDiffText } from './render-diff.js';

const load = (files: Record<string, string>): Promise<Registry> =>
  loadRegistry(
    memoryFileSource(Object.fromEntries(Object.entries(files).map(([n, t]) => [`.kiro/schemas/${n}.yaml`, t]))),
  );

const users = (columns: string, version = '1.0.0'): string =>
  `name: users\nowner: user-service\nversion: ${version}\ncolumns:\n  - { name: id, type: UUID, nullable: false, primary_key: true }\n${columns}`;
const orders =
  'name: orders\nowner: order-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, nullable: false, primary_key: true }\n  - { name: user_id, type: UUID, nullable: false }\n  - { name: note, type: TEXT, nullable: true }\nreferences:\n  - { schema: users, column: id, foreign_key: user_id }\n';
const gone =
  'name: gone\nowner: old-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, nullable: false, primary_key: true }\n  - { name: user_id, type: UUID, nullable: true }\nreferences:\n  - { schema: users, column: id, foreign_key: user_id }\n';
const fresh =
  'name: fresh\nowner: new-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, nullable: false, primary_key: true }\n  - { name: amount, type: "DECIMAL(15,2)", nullable: true }\n';

async function sample() {
  const base = await load({
    users: users(
      '  - { name: email, type: VARCHAR(255), nullable: false }\n  - { name: legacy, type: TEXT, nullable: true }\n',
    ),
    orders,
    gone,
  });
  const head = await load({
    users: users(
      '  - { name: email, type: VARCHAR(100), nullable: false }\n  - { name: bio, type: VARCHAR(200), nullable: true }\n',
      '2.0.0',
    ),
    orders,
    fresh,
  });
  return { base, head, diff: diffRegistries(base, head) };
}

describe('diff renderers', () => {
  it('draws touched schemas and neighbours, marking added and removed, as valid Mermaid', async () => {
    const { base, head, diff } = await sample();
    const erd = renderDiffErd(diff, base, head);
    expect(erd).toContain('fresh["fresh (added)"]:::added {');
    expect(erd).toContain('gone["gone (removed)"]:::removed {');
    expect(erd).toContain('users["users (changed)"]:::changed {');
    expect(erd).toContain('VARCHAR email "was VARCHAR(255); VARCHAR(100)"');
    expect(erd).toContain('TEXT legacy "- removed"');
    expect(erd).toContain('orders["orders"]:::neighbour {'); // references users, unchanged
    expect(erd).not.toContain('TEXT note'); // neighbours show key columns only
    expect(erd).toContain('users ||--o{ gone : "user_id (removed)"');
    const mermaid = (await import('mermaid')).default;
    await expect(mermaid.parse(erd)).resolves.toMatchObject({ diagramType: 'er' });
  });

  it('text and markdown name schema, owner, version and impact', async () => {
    const { base, head, diff } = await sample();
    const diagnostics = [...diffDiagnostics(base, head, diff).values()].flat();
    const text = renderDiffText(diff, { base: 'main', head: 'feature' }, diagnostics);
    expect(text.split('\n')[0]).toBe('aegis diff main → feature');
    expect(text).toContain('~ users (user-service) 1.0.0 → 2.0.0');
    expect(text).toContain('- gone (old-service) 1.0.0');
    expect(text.trim().split('\n').pop()).toBe(
      '1 schema changed, 1 added, 1 removed: 3 breaking changes, 2 compatible',
    );
    const md = renderDiffMarkdown(diff, base, head, { base: 'main', head: 'feature' }, diagnostics);
    expect(md).toContain(
      '| `users` | user-service | 1.0.0 → 2.0.0 | column email changed type VARCHAR(255) → VARCHAR(100)',
    );
    expect(md).toContain('```mermaid\nerDiagram');
  });
});
