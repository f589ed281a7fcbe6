import { describe, expect, it } from 'vitest';
import { locate } from '../../../../test/helpers/locate.js';
import { validateFixture } from '../test-support/fixtures.js';
import { loadFile } from './load-file.js';

const brief = (file: ReturnType<typeof loadFile>) =>
  file.diagnostics.map(({ code, message, range }) => ({ code, message, range }));

describe('loadFile: yaml-syntax', () => {
  it('reports an unclosed flow sequence, a duplicate key and a second document', async () => {
    const fixture = await validateFixture('syntax');
    // Reported where the file ends, shown on the bracket left open.
    expect(fixture.found('orders.yaml')).toEqual([
      {
        code: 'yaml-syntax',
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
        range: locate(fixture.text('orders.yaml')).line('type: [').range('['),
      },
    ]);
    expect(fixture.found('duplicate-key.yaml')).toEqual([
      {
        code: 'yaml-syntax',
        message: 'Map keys must be unique',
        range: locate(fixture.text('duplicate-key.yaml')).line('owner: billing').range('owner'),
      },
    ]);
    expect(fixture.found('two-documents.yaml')).toEqual([
      {
        code: 'yaml-syntax',
        message: 'The file holds more than one YAML document',
        range: locate(fixture.text('two-documents.yaml')).line('---').range('---'),
      },
    ]);
    expect(fixture.found('unclosed-quote.yaml')).toEqual([
      {
        code: 'yaml-syntax',
        message: 'Missing closing "quote',
        range: locate(fixture.text('unclosed-quote.yaml')).line('description').range('"'),
      },
    ]);
    expect(fixture.found('tabs.yaml')).toEqual([
      {
        code: 'yaml-syntax',
        message: 'Tabs are not allowed as indentation',
        range: locate(fixture.text('tabs.yaml')).line('- name').range('\t'),
      },
    ]);
    expect(fixture.diagnostics.get('.kiro/schemas/orders.yaml')?.[0]?.hint).toMatch(/indentation and closing brackets/);
    expect(fixture.diagnostics.get('.kiro/schemas/tabs.yaml')?.[0]?.hint).toBe('Indent with spaces, not tabs.');
  });

  it('reports bytes that are not UTF-8 on their line, and still accepts a BOM', () => {
    const bytes = new TextEncoder().encode('name: caf\u00e9\nowner: x\n');
    const lineTwo = bytes.indexOf(0x0a) + 1;
    const broken = new Uint8Array([...bytes.slice(0, lineTwo), 0xff, ...bytes.slice(lineTwo)]);
    const file = loadFile('s/cafe.yaml', broken);
    expect(brief(file)).toEqual([
      {
        code: 'yaml-syntax',
        message: 'The file is not valid UTF-8 (byte 0xFF)',
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } },
      },
    ]);
    const withBom = loadFile(
      's/users.yaml',
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('name: users\n')]),
    );
    expect(withBom.schema?.name.value).toBe('users');
    expect(withBom.schema?.name.range).toEqual(locate('name: users').line('name').range('users'));
  });
});

describe('loadFile: invalid-field', () => {
  it('maps every JSON Schema violation to its node', async () => {
    const fixture = await validateFixture('invalid-field');
    const text = fixture.text('orders.yaml');
    const at = locate(text);
    expect(fixture.found('orders.yaml')).toEqual([
      {
        code: 'invalid-field',
        message: 'The schema is missing the required field "owner"',
        range: at.line('name: orders').content(),
      },
      {
        code: 'invalid-field',
        message: '"version" in the schema must be text, not number 1',
        range: at.line('version: 1.0').range('1.0'),
      },
      {
        code: 'invalid-field',
        message: 'Unknown field "colour" in the schema',
        range: at.line('colour: blue').range('colour'),
      },
      {
        code: 'invalid-field',
        message: '"nullable" in column "id" must be a boolean, not string "false"',
        range: at.line('nullable: "false"').range('"false"'),
      },
      {
        code: 'invalid-field',
        message: 'Column "total" is missing the required field "type"',
        range: at.line('- name: total').content(),
      },
      {
        code: 'invalid-field',
        message: 'Unknown field "tpye" in column "total"',
        range: at.line('tpye:').range('tpye'),
      },
      {
        code: 'invalid-field',
        message: 'Column name "Placed_At" is not valid',
        range: at.line('Placed_At').range('Placed_At'),
      },
      {
        code: 'unknown-schema',
        message: 'Schema "users" does not exist',
        range: at.line('schema: users').range('users'),
      },
      {
        code: 'invalid-field',
        message: '"CASCADES" is not a foreign-key action (on_delete in reference "id")',
        range: at.line('CASCADES').range('CASCADES'),
      },
      {
        code: 'invalid-field',
        message: '"columns" in index "idx_orders_total" is empty',
        range: at.line('columns: []').range('[]'),
      },
      {
        code: 'invalid-field',
        message: '"2024-13-01" in version_history entry #1 is not a date',
        range: at.line('2024-13-01').range('2024-13-01'),
      },
    ]);
    const byMessage = new Map(fixture.diagnostics.get('.kiro/schemas/orders.yaml')?.map((d) => [d.message, d]));
    expect(byMessage.get('Column name "Placed_At" is not valid')?.data).toEqual({ suggestion: 'placed_at' });
    expect(byMessage.get('"CASCADES" is not a foreign-key action (on_delete in reference "id")')?.data).toEqual({
      suggestion: 'CASCADE',
    });
    expect(byMessage.get('Column "total" is missing the required field "type"')?.hint).toBe('Add `type: UUID`.');
  });

  it('reports an empty file, a file that is not a mapping, and unknown registry.yaml fields', async () => {
    const fixture = await validateFixture('invalid-field');
    const start = { line: 0, character: 0 };
    expect(fixture.found('empty.yaml')).toEqual([
      { code: 'invalid-field', message: 'The schema file is empty', range: { start, end: start } },
    ]);
    expect(fixture.found('list.yaml')).toEqual([
      {
        code: 'invalid-field',
        message: 'The schema must be a mapping, not a list',
        range: { start, end: { line: 1, character: 0 } },
      },
    ]);
    expect(fixture.found('registry.yaml')).toEqual([
      {
        code: 'invalid-field',
        message: 'Unknown field "title" in registry.yaml',
        range: locate(fixture.text('registry.yaml')).line('title').range('title'),
      },
    ]);
    expect(fixture.registry.files.get('.kiro/schemas/registry.yaml')?.metadata).toEqual({
      file: '.kiro/schemas/registry.yaml',
      name: 'example',
    });
  });

  it('reports an empty owner and a malformed date with what to write', () => {
    const text =
      'name: users\nowner: ""\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\nversion_history:\n  - { version: 1.0.0, date: 2024-3-1 }\n';
    const at = locate(text);
    expect(
      loadFile('s/users.yaml', text).diagnostics.map(({ code, message, range, hint }) => ({
        code,
        message,
        range,
        hint,
      })),
    ).toEqual([
      {
        code: 'invalid-field',
        message: '"owner" in the schema is empty',
        range: at.line('owner').range('""'),
        hint: 'Name the owning service, e.g. user-service.',
      },
      {
        code: 'invalid-field',
        message: '"2024-3-1" in version_history entry #1 is not a date',
        range: at.line('date').range('2024-3-1'),
        hint: 'Write the date as YYYY-MM-DD, e.g. 2024-03-01.',
      },
    ]);
  });

  it('points an empty value at its key', () => {
    const text = 'name: a\nowner: x\nversion: 1.0.0\ncolumns:\nreferences:\n';
    const at = locate(text);
    expect(brief(loadFile('s/a.yaml', text))).toEqual([
      {
        code: 'invalid-field',
        message: '"columns" in the schema must be a list, not empty',
        range: at.line('columns:').range('columns'),
      },
      {
        code: 'invalid-field',
        message: '"references" in the schema must be a list, not empty',
        range: at.line('references:').range('references'),
      },
    ]);
  });

  it('treats __proto__ and constructor keys as unknown fields without touching any prototype', () => {
    const text =
      'name: users\nowner: x\nversion: 1.0.0\n__proto__: { polluted: true }\nconstructor: { prototype: { polluted: true } }\ncolumns:\n  - { name: id, type: UUID, primary_key: true, __proto__: 1 }\n';
    const file = loadFile('s/users.yaml', text);
    const at = locate(text);
    expect(brief(file)).toEqual([
      {
        code: 'invalid-field',
        message: 'Unknown field "__proto__" in the schema',
        range: at.line('__proto__: {').range('__proto__'),
      },
      {
        code: 'invalid-field',
        message: 'Unknown field "constructor" in the schema',
        range: at.line('constructor').range('constructor'),
      },
      {
        code: 'invalid-field',
        message: 'Unknown field "__proto__" in column "id"',
        range: at.line('- { name: id').range('__proto__'),
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(file.schema?.columns.map((c) => c.name.value)).toEqual(['id']);
  });
});

describe('loadFile: the compact model', () => {
  it('keeps the range of every name, type and reference, and no yaml Document', () => {
    const text =
      'name: orders\nowner: order-service\nversion: 1.2.0\ncolumns:\n  - name: id\n    type: UUID\n    primary_key: true\n  - { name: user_id, type: "UUID", nullable: false }\nreferences:\n  - { schema: users, column: id, foreign_key: user_id, on_delete: RESTRICT }\nindexes:\n  - { name: idx_user, columns: [user_id], unique: true }\n';
    const { schema } = loadFile('x/orders.yaml', text);
    const at = locate(text);
    expect(schema?.owner).toEqual({ value: 'order-service', range: at.line('owner').range('order-service') });
    expect(schema?.columns[0]?.type.range).toEqual(at.line('type: UUID').range('UUID'));
    expect(schema?.columns[0]).toMatchObject({ nullable: false, primaryKey: true, unique: false });
    expect(schema?.columns[1]?.type).toEqual({ value: 'UUID', range: at.line('user_id, type').range('"UUID"') });
    const reference = schema?.references[0];
    expect(reference?.schema.range).toEqual(at.line('schema: users').range('users'));
    expect(reference?.foreignKey.range).toEqual(at.line('schema: users').range('user_id'));
    expect(reference?.onDelete?.value).toBe('RESTRICT');
    expect(reference?.onUpdate).toBeUndefined();
    expect(schema?.indexes[0]?.columns[0]?.range).toEqual(at.line('idx_user').range('user_id'));
    expect(JSON.stringify(schema)).not.toMatch(/"contents"|"cstNode"/);
  });

  it('counts characters in UTF-16 code units and reads CRLF files', () => {
    const text =
      'name: notes\r\nowner: x\r\nversion: 1.0.0\r\ncolumns:\r\n  - { description: "😀 ok", name: id, type: UUID, primary_key: true }\r\n';
    const { schema, diagnostics } = loadFile('s/notes.yaml', text);
    const at = locate(text);
    expect(diagnostics).toEqual([]);
    expect(schema?.name.range).toEqual(at.line('name: notes').range('notes'));
    expect(schema?.columns[0]?.name.range).toEqual(at.line('😀').range('id'));
    expect(schema?.columns[0]?.name.range.start.character).toBe('  - { description: "😀 ok", name: '.length);
  });
});
