import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  DocumentSymbol,
  Hover,
  Location,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { describe, expect, test } from 'vitest';
import { APPS, ORDERS, ORDERS_FILE, USERS } from './lsp-fixtures.js';
import type { LspWorkspace } from './lsp-workspace.js';
import { after, at, rangeOf } from './text-position.js';
import { useLspWorkspace } from './use-lsp-workspace.js';

/** A document's text after LSP edits that do not overlap (applied from the last to the first). */
function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: Range['start']): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

const start = useLspWorkspace();

describe('navigation and editing over stdio', () => {
  const pos = (
    w: LspWorkspace,
    file: string,
    line: string,
    word = line,
    occurrence = 0,
  ): { textDocument: { uri: string }; position: ReturnType<typeof at> } => ({
    textDocument: { uri: w.uri(file) },
    position: at(w.text(file), line, word, occurrence),
  });

  test('completion: schema names, the target columns, own columns, SQL types, FK actions and field names', async () => {
    const w = await start();
    const text = ORDERS.replace(
      '  - schema: user\n    column: id\n    foreign_key: user_id\n    on_delete: RESTRICT\n',
      '  - schema: us\n    column: \n    foreign_key: \n    on_delete: \n',
    )
      .replace('columns: [user_id]', 'columns: [user_id, ]')
      .replace('    type: DECIMAL(15,2)', '    type: DEC');
    const uri = w.uri(ORDERS_FILE);
    await w.client.open(uri, text);
    const complete = async (line: string): Promise<CompletionItem[]> =>
      (
        await w.client.request<CompletionList>('textDocument/completion', {
          textDocument: { uri },
          position: after(text, line),
        })
      ).items;
    const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);

    // Only what starts with the typed prefix.
    const schemas = await complete('schema: us');
    expect(labels(schemas)).toEqual(['users']);
    expect(schemas.find((i) => i.label === 'users')?.textEdit).toEqual({
      range: rangeOf(text, 'schema: us', 'us'),
      newText: 'users',
    });
    // The schema is still 'us' (no such schema), so `column:` offers nothing until it names a real one.
    expect(await complete('    column: ')).toEqual([]);
    expect(labels(await complete('    foreign_key: '))).toEqual(['id', 'user_id', 'total']);
    expect(labels(await complete('    on_delete: '))).toEqual([
      'CASCADE',
      'RESTRICT',
      'SET NULL',
      'SET DEFAULT',
      'NO ACTION',
    ]);
    expect(labels(await complete('columns: [user_id, '))).toEqual(['id', 'user_id', 'total']);
    expect(labels(await complete('type: DEC'))).toContain('DECIMAL(15,2)');

    const named = text.replace('schema: us\n', 'schema: users\n');
    await w.client.change(uri, 2, named);
    const { items: columns } = await w.client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: after(named, '    column: '),
    });
    expect(labels(columns)).toEqual([
      'id',
      'email',
      'name',
      'phone',
      'is_active',
      'created_at',
      'updated_at',
      'deleted_at',
    ]);
    expect(columns[0]?.detail).toContain('UUID');

    // Mid-typing the file does not parse; field names still complete and its columns come from its last good state.
    const typing = named.replace('    on_delete: \n', '    on_delete: \n    on_upd\n');
    await w.client.change(uri, 3, typing);
    const { items: keys } = await w.client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: after(typing, '    on_upd'),
    });
    expect(labels(keys)).toEqual(['on_update']);
    expect(keys.find((k) => k.label === 'on_update')?.textEdit).toEqual({
      range: rangeOf(typing, '    on_upd', 'on_upd'),
      newText: 'on_update: ',
    });
    const { items: fk } = await w.client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: after(typing, '    foreign_key: '),
    });
    expect(labels(fk)).toEqual(['id', 'user_id', 'total']);
  });

  test('hover on a reference shows the target schema with its owner and dependents; on a column its type', async () => {
    const w = await start();
    const schemaHover = await w.client.request<Hover>('textDocument/hover', pos(w, APPS, 'schema: users', 'users'));
    expect(schemaHover.range).toEqual(rangeOf(w.text(APPS), 'schema: users', 'users'));
    const value = (schemaHover.contents as { value: string }).value;
    expect(value).toContain('**users**');
    expect(value).toContain('user-service');
    expect(value).toMatch(/Referenced by: applications, audit_logs, policies/);
    const columnHover = await w.client.request<Hover>('textDocument/hover', pos(w, USERS, 'name: email', 'email'));
    expect((columnHover.contents as { value: string }).value).toContain(
      '**users.email** `VARCHAR(255)` NOT NULL · UNIQUE',
    );
  });

  test('definition goes from a reference to the target schema and column; references find every use', async () => {
    const w = await start();
    const users = w.text(USERS);
    const toSchema = await w.client.request<Location[]>(
      'textDocument/definition',
      pos(w, APPS, 'schema: policies', 'policies'),
    );
    expect(toSchema).toEqual([
      {
        uri: w.uri('.kiro/schemas/policies.yaml'),
        range: rangeOf(w.text('.kiro/schemas/policies.yaml'), 'name: policies', 'policies'),
      },
    ]);
    const toColumn = await w.client.request<Location[]>('textDocument/definition', pos(w, APPS, 'column: id', 'id'));
    expect(toColumn).toEqual([{ uri: w.uri(USERS), range: rangeOf(users, '- name: id', 'id') }]);

    const refs = await w.client.request<Location[]>('textDocument/references', {
      ...pos(w, USERS, '- name: id', 'id'),
      context: { includeDeclaration: true },
    });
    const apps = w.text(APPS);
    expect(refs).toEqual([
      { uri: w.uri(USERS), range: rangeOf(users, '- name: id', 'id') },
      { uri: w.uri(APPS), range: rangeOf(apps, 'column: id', 'id', 0) },
      { uri: w.uri(APPS), range: rangeOf(apps, 'column: id', 'id', 2) },
      {
        uri: w.uri('.kiro/schemas/audit_logs.yaml'),
        range: rangeOf(w.text('.kiro/schemas/audit_logs.yaml'), 'column: id', 'id'),
      },
      {
        uri: w.uri('.kiro/schemas/policies.yaml'),
        range: rangeOf(w.text('.kiro/schemas/policies.yaml'), 'column: id', 'id'),
      },
    ]);
    const fkRefs = await w.client.request<Location[]>('textDocument/references', {
      ...pos(w, APPS, 'foreign_key: user_id', 'user_id'),
      context: { includeDeclaration: false },
    });
    expect(fkRefs).toEqual([
      { uri: w.uri(APPS), range: rangeOf(apps, 'foreign_key: user_id', 'user_id') },
      { uri: w.uri(APPS), range: rangeOf(apps, 'columns: [user_id', 'user_id') },
    ]);
  });

  test('rename a column across files, and a schema together with its file', async () => {
    const w = await start();
    const apps = w.text(APPS);
    const prepared = await w.client.request<{ range: Range; placeholder: string }>(
      'textDocument/prepareRename',
      pos(w, APPS, 'column: id', 'id'),
    );
    expect(prepared).toEqual({ range: rangeOf(apps, 'column: id', 'id'), placeholder: 'id' });
    const edit = await w.client.request<WorkspaceEdit>('textDocument/rename', {
      ...pos(w, APPS, 'column: id', 'id'),
      newName: 'user_uuid',
    });
    const byUri = new Map<string, unknown>(
      (edit.documentChanges ?? []).map((c) =>
        'textDocument' in c ? [c.textDocument.uri, c.edits.map((e) => e.range)] : ['rename', c],
      ),
    );
    const idRange = rangeOf(w.text(USERS), '- name: id', 'id');
    // The declaration also states the rename, so a migration renames the column instead of dropping it.
    expect(byUri.get(w.uri(USERS))).toEqual([idRange, { start: idRange.end, end: idRange.end }]);
    const usersColumnEdit = (edit.documentChanges ?? []).find(
      (c) => 'textDocument' in c && c.textDocument.uri === w.uri(USERS),
    );
    const renamedUsers = applyEdits(
      w.text(USERS),
      usersColumnEdit && 'edits' in usersColumnEdit ? usersColumnEdit.edits.filter((e) => 'newText' in e) : [],
    );
    expect(renamedUsers).toMatch(/- name: user_uuid\n(\s+)renamed_from: id\n\1type: UUID/);
    expect(byUri.get(w.uri(APPS))).toEqual([
      rangeOf(apps, 'column: id', 'id', 0),
      rangeOf(apps, 'column: id', 'id', 2),
    ]);
    expect(byUri.size).toBe(4);

    const schemaEdit = await w.client.request<WorkspaceEdit>('textDocument/rename', {
      ...pos(w, APPS, 'schema: users', 'users'),
      newName: 'members',
    });
    const changes = schemaEdit.documentChanges ?? [];
    expect(changes.at(-1)).toEqual({
      kind: 'rename',
      oldUri: w.uri(USERS),
      newUri: w.uri('.kiro/schemas/members.yaml'),
    });
    const usersEdit = changes.find((c) => 'textDocument' in c && c.textDocument.uri === w.uri(USERS));
    const nameRange = rangeOf(w.text(USERS), 'name: users', 'users');
    expect(usersEdit && 'edits' in usersEdit ? usersEdit.edits : []).toEqual([
      { range: nameRange, newText: 'members' },
      { range: { start: nameRange.end, end: nameRange.end }, newText: '\nrenamed_from: users' },
    ]);
    await expect(
      w.client.request('textDocument/rename', { ...pos(w, APPS, 'schema: users', 'users'), newName: 'Not Valid' }),
    ).rejects.toThrow(/not a valid name/);
    await expect(
      w.client.request('textDocument/rename', { ...pos(w, APPS, 'schema: users', 'users'), newName: 'policies' }),
    ).rejects.toThrow(/A schema named 'policies' already exists/);
    await expect(
      w.client.request('textDocument/rename', { ...pos(w, APPS, 'column: id', 'id'), newName: 'email' }),
    ).rejects.toThrow(/Schema 'users' already has a column named 'email'/);
  });

  test('document symbols outline the table, its columns, references and indexes', async () => {
    const w = await start();
    const [table] = await w.client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: w.uri(APPS) },
    });
    expect(table?.name).toBe('applications');
    expect(table?.selectionRange).toEqual(rangeOf(w.text(APPS), 'name: applications', 'applications'));
    expect(table?.children?.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'id',
        'user_id',
        'review_notes',
        'user_id → users.id',
        'policy_id → policies.id',
        'idx_applications_status',
      ]),
    );
  });

  test('quick fixes: did-you-mean and create the missing schema file', async () => {
    const w = await start();
    const [diagnostic] = await w.client.waitFor(w.uri(ORDERS_FILE), (d) => d.length > 0);
    const actions = await w.client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: w.uri(ORDERS_FILE) },
      range: diagnostic?.range,
      context: { diagnostics: [diagnostic] },
    });
    expect(actions.map((a) => a.title)).toEqual(["Change to 'users'", 'Create schema file .kiro/schemas/user.yaml']);
    expect(actions[0]?.edit?.changes?.[w.uri(ORDERS_FILE)]).toEqual([
      { range: rangeOf(ORDERS, 'schema: user', 'user'), newText: 'users' },
    ]);
    const [create, fill] = actions[1]?.edit?.documentChanges ?? [];
    expect(create).toEqual({
      kind: 'create',
      uri: w.uri('.kiro/schemas/user.yaml'),
      options: { ignoreIfExists: true },
    });
    const newText = fill && 'edits' in fill ? (fill.edits[0] as { newText: string }).newText : '';
    expect(newText).toContain('name: user\nowner: order-service\n');
    expect(newText).toContain('  - name: id\n    type: UUID\n');
  });

  test('the ERD request returns the registry as Mermaid, or one schema and its neighbours', async () => {
    const w = await start();
    const whole = await w.client.request<{ mermaid: string }>('aegis/erd', {});
    expect(whole.mermaid).toMatch(/^erDiagram/);
    for (const name of ['users', 'applications', 'policies', 'audit_logs', 'orders'])
      expect(whole.mermaid).toContain(name);
    const focused = await w.client.request<{ mermaid: string; focus: string }>('aegis/erd', {
      uri: w.uri('.kiro/schemas/audit_logs.yaml'),
      depth: 1,
    });
    expect(focused.focus).toBe('audit_logs');
    expect(focused.mermaid).toContain('users');
    expect(focused.mermaid).not.toContain('policies');
    await expect(w.client.request('aegis/erd', { schema: 'nope' })).rejects.toThrow(/No schema named 'nope'/);
  });
});
