import { buildRegistry, loadFile, validateRegistry } from '@aegis/core';
import { describe, expect, test } from 'vitest';
import { Workspace } from './workspace.js';

const F = (name: string): string => `.kiro/schemas/${name}.yaml`;

/** A schema text: `name` with an `id` key and one foreign key per entry of `refs` (schema or schema.column). */
function schema(name: string, refs: string[] = [], idType = 'UUID'): string {
  const cols = refs.map((_, i) => `  - { name: ref_${i}, type: UUID, nullable: true }`);
  const references = refs.map((r, i) => {
    const [target, column = 'id'] = r.split('.');
    return `  - { schema: ${target}, column: ${column}, foreign_key: ref_${i}, on_delete: SET NULL }`;
  });
  return [
    `name: ${name}`,
    'owner: svc',
    'version: 1.0.0',
    'columns:',
    `  - { name: id, type: ${idType}, nullable: false, primary_key: true }`,
    ...cols,
    ...(references.length > 0 ? ['references:', ...references] : []),
    '',
  ].join('\n');
}

/** What a full validation of the same files says: the incremental workspace must always agree with it. */
function fullCheck(files: Map<string, string>): Map<string, string[]> {
  const result = validateRegistry(buildRegistry([...files].map(([f, t]) => loadFile(f, t))));
  return new Map(
    [...result].map(([f, d]) => [
      f,
      d.map((x) => `${x.code}@${x.range.start.line}:${x.range.start.character} ${x.message}`),
    ]),
  );
}

function shown(workspace: Workspace, files: Map<string, string>): Map<string, string[]> {
  return new Map(
    [...files.keys()].map((f) => [
      f,
      workspace.diagnostics(f).map((x) => `${x.code}@${x.range.start.line}:${x.range.start.character} ${x.message}`),
    ]),
  );
}

describe('Workspace', () => {
  test('an edit re-checks only the files it can affect and returns them', () => {
    const ws = new Workspace();
    ws.loadAll([
      [F('users'), schema('users')],
      [F('orders'), schema('orders', ['users'])],
      [F('items'), schema('items', ['orders'])],
      [F('tags'), schema('tags')],
    ]);
    const affected = ws.update(F('users'), schema('users', [], 'BIGINT'));
    expect(affected.sort()).toEqual([F('orders'), F('users')]);
    expect(ws.diagnostics(F('orders')).map((d) => d.code)).toEqual(['fk-type-mismatch']);
    expect(ws.diagnostics(F('items'))).toEqual([]);
  });

  test('renaming a schema re-checks the referrers of the old and the new name', () => {
    const ws = new Workspace();
    ws.loadAll([
      [F('users'), schema('users')],
      [F('orders'), schema('orders', ['users'])],
      [F('notes'), schema('notes', ['members'])],
    ]);
    expect(ws.diagnostics(F('notes')).map((d) => d.code)).toEqual(['unknown-schema']);
    const affected = ws.update(F('users'), schema('members'));
    expect(affected.sort()).toEqual([F('notes'), F('orders'), F('users')]);
    expect(ws.diagnostics(F('notes'))).toEqual([]);
    expect(ws.diagnostics(F('orders')).map((d) => d.code)).toEqual(['unknown-schema']);
  });

  test('a cycle made by one edit is reported on every member, and breaking it clears them all', () => {
    const ws = new Workspace();
    ws.loadAll([
      [F('a'), schema('a', ['b'])],
      [F('b'), schema('b', ['c'])],
      [F('c'), schema('c')],
    ]);
    const made = ws.update(F('c'), schema('c', ['a']));
    expect(made.sort()).toEqual([F('a'), F('b'), F('c')]);
    for (const f of ['a', 'b', 'c']) expect(ws.diagnostics(F(f)).map((d) => d.code)).toEqual(['cycle']);
    ws.update(F('c'), schema('c'));
    for (const f of ['a', 'b', 'c']) expect(ws.diagnostics(F(f))).toEqual([]);
  });

  test('removing a file updates its referrers and forgets it', () => {
    const ws = new Workspace();
    ws.loadAll([
      [F('users'), schema('users')],
      [F('orders'), schema('orders', ['users'])],
    ]);
    expect(ws.remove(F('users')).sort()).toEqual([F('orders'), F('users')]);
    expect(ws.diagnostics(F('orders')).map((d) => d.code)).toEqual(['unknown-schema']);
    expect(ws.paths).toEqual([F('orders')]);
    expect(ws.remove(F('users'))).toEqual([]);
  });

  test('only YAML files inside the schema folder belong to the registry', () => {
    const ws = new Workspace('.kiro/schemas/');
    expect(ws.includes('.kiro/schemas/users.yaml')).toBe(true);
    expect(ws.includes('.kiro/schemas/nested/users.yml')).toBe(true);
    expect(ws.includes('.kiro/rbac.yaml')).toBe(false);
    expect(ws.includes('.kiro/schemas/notes.md')).toBe(false);
  });

  test.each([12345, 777, 4242])(
    'after thousands of random edits the incremental result equals a full validation (seed %i)',
    (start) => {
      let seed = start;
      const next = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
      const files = new Map<string, string>();
      const ws = new Workspace();
      for (const n of names.slice(0, 5)) files.set(F(n), schema(n));
      ws.loadAll(files);
      for (let step = 0; step < 1200; step++) {
        const file = F(names[next(5)] ?? 'a');
        const kind = next(10);
        if (kind === 0) {
          files.delete(file);
          ws.remove(file);
          continue;
        }
        // A random name (sometimes another file's: duplicates), random references (unknown ones, cycles, bad columns).
        const declared = names[next(names.length)] ?? 'a';
        const refs = Array.from(
          { length: next(3) },
          () => `${names[next(names.length)] ?? 'a'}${next(6) === 0 ? '.nope' : ''}`,
        );
        const text = kind === 1 ? 'name: [broken' : schema(declared, refs, next(8) === 0 ? 'BIGINT' : 'UUID');
        files.set(file, text);
        ws.update(file, text);
        expect(shown(ws, files), `step ${step}`).toEqual(fullCheck(files));
      }
    },
  );
});
