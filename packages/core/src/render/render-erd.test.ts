import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import { exampleFiles } from '../test-support/fixtures.js';
import { renderErd } from './render-erd.js';

/** Mermaid's own parser accepts the diagram (it throws on a syntax error). */
async function expectValidMermaid(diagram: string): Promise<void> {
  await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'er' });
}

const example = async () => loadRegistry(memoryFileSource(exampleFiles()));

describe('renderErd', () => {
  it('draws the example registry (snapshot) as valid Mermaid', async () => {
    const erd = renderErd(await example());
    await expect(erd).toMatchFileSnapshot('./__snapshots__/example-erd.mmd');
    await expectValidMermaid(erd);
    // The checker can fail: Mermaid refuses a raw DECIMAL(15,2) attribute type.
    await expect(mermaid.parse('erDiagram\n    t {\n        DECIMAL(15,2) x\n    }\n')).rejects.toThrow(
      /ATTRIBUTE_WORD/,
    );
    expect(erd).toContain('        VARCHAR email UK "VARCHAR(255)"');
    expect(erd).toContain('        NUMERIC budget_amount "NUMERIC(15,2)"');
    expect(erd).toContain('    users ||--o{ policies : "created_by"');
    expect(erd).toContain('    users |o--o{ applications : "reviewed_by"');
  });

  it('draws a focus schema with its neighbours to the given depth, both directions', async () => {
    const files = {
      's/a.yaml': 'name: a\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n',
      's/b.yaml':
        'name: b\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n  - { name: a_id, type: UUID, nullable: false, unique: true }\nreferences:\n  - { schema: a, column: id, foreign_key: a_id }\n',
      's/c.yaml':
        'name: c\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n  - { name: b_id, type: UUID, nullable: true }\n  - { name: parent_id, type: UUID, nullable: true }\nreferences:\n  - { schema: b, column: id, foreign_key: b_id }\n  - { schema: c, column: id, foreign_key: parent_id }\n',
      's/d.yaml':
        'name: d\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: "DOUBLE PRECISION", primary_key: true }\n  - { name: tags, type: "TEXT[]" }\n',
    };
    const registry = await loadRegistry(memoryFileSource(files));
    const entities = (erd: string) => [...erd.matchAll(/^ {4}(\w+) \{$/gm)].map((m) => m[1]);
    const depth1 = renderErd(registry, { focus: 'b', depth: 1 });
    expect(entities(depth1)).toEqual(['a', 'b', 'c']);
    expect(depth1).toContain('    a ||--o| b : "a_id"');
    expect(depth1).toContain('    b |o--o{ c : "b_id"');
    expect(depth1).toContain('    c |o--o{ c : "parent_id"');
    expect(entities(renderErd(registry, { focus: 'a', depth: 1 }))).toEqual(['a', 'b']);
    expect(entities(renderErd(registry, { focus: 'a', depth: 2 }))).toEqual(['a', 'b', 'c']);
    expect(entities(renderErd(registry, { focus: 'a', depth: 0 }))).toEqual(['a']);
    expect(entities(renderErd(registry))).toEqual(['a', 'b', 'c', 'd']);
    const whole = renderErd(registry);
    expect(whole).toContain('        DOUBLE_PRECISION id PK');
    expect(whole).toContain('        TEXT_ARRAY tags "TEXT[]"');
    await expectValidMermaid(whole);
    await expectValidMermaid(depth1);
    expect(renderErd(registry, { focus: 'nope' })).toBe('erDiagram\n    %% schema "nope" is not in the registry\n');
  });

  it('draws an empty registry, a table without columns, and a key that is both PK and FK', async () => {
    expect(renderErd({ files: new Map(), schemas: new Map() })).toBe('erDiagram\n');
    const files = {
      's/users.yaml':
        'name: users\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n',
      's/profiles.yaml':
        'name: profiles\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: user_id, type: UUID, primary_key: true }\nreferences:\n  - { schema: users, column: id, foreign_key: user_id }\n',
      's/empty.yaml': 'name: empty\nowner: x\nversion: 1.0.0\ncolumns: []\n',
    };
    const erd = renderErd(await loadRegistry(memoryFileSource(files)));
    expect(erd).toContain('    empty {\n    }\n');
    expect(erd).toContain('        UUID user_id PK, FK\n');
    expect(erd).toContain('    users ||--o| profiles : "user_id"');
    await expectValidMermaid(erd);
    await expectValidMermaid('erDiagram\n');
  });

  it('keeps a broken registry drawable: odd names and types are sanitised, unknown targets skipped', async () => {
    const text =
      'name: orders\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: "Total Amount", type: "DECIMAL(10, 2)" }\n  - { name: "2fa", type: "" }\n  - { name: ref, type: UUID }\nreferences:\n  - { schema: ghost, column: id, foreign_key: ref }\n';
    const erd = renderErd(await loadRegistry(memoryFileSource({ 's/orders.yaml': text })));
    expect(erd).toContain('        NUMERIC Total_Amount "NUMERIC(10,2)"');
    expect(erd).toContain('        UNKNOWN _2fa');
    expect(erd).not.toContain('ghost');
    await expectValidMermaid(erd);
  });
});
