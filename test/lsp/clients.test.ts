import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { CodeAction, CompletionList } from 'vscode-languageserver-protocol';
import { describe, expect, test } from 'vitest';
import { ORDERS, ORDERS_FILE, USERS, codes, none } from './lsp-fixtures.js';
import { after, at } from './text-position.js';
import { exampleRegistry, lspWorkspace } from './lsp-workspace.js';
import { useLspWorkspace } from './use-lsp-workspace.js';

const MEMBERS = '.kiro/schemas/members.yaml';

const start = useLspWorkspace();

/** What clients that are not VS Code do (Neovim 0.7, eglot): capabilities they lack, watchers they register. */
describe('clients other than VS Code', () => {
  test('the file watcher is a glob matching absolute paths, or a pattern relative to the schema folder', async () => {
    const w = await start({}, { didChangeWatchedFiles: { dynamicRegistration: true } });
    await w.client.request('textDocument/hover', {
      textDocument: { uri: w.uri(USERS) },
      position: at(w.text(USERS), 'name'),
    });
    expect(w.client.registrations.map((r) => [r.method, r.registerOptions])).toEqual([
      ['workspace/didChangeWatchedFiles', { watchers: [{ globPattern: '**/.kiro/schemas/**/*.{yaml,yml}' }] }],
    ]);
    await w.close();
    const r = await start({}, { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } });
    await r.client.request('textDocument/hover', {
      textDocument: { uri: r.uri(USERS) },
      position: at(r.text(USERS), 'name'),
    });
    const [registration] = r.client.registrations;
    expect(registration?.registerOptions).toEqual({
      watchers: [{ globPattern: { baseUri: r.uri('.kiro/schemas'), pattern: '**/*.{yaml,yml}' } }],
    });
  });

  test('without a registered watcher the server watches the disk itself: create, change and delete a schema', async () => {
    const w = await start();
    const orders = w.uri(ORDERS_FILE);
    await w.client.waitFor(orders, (d) => d.length > 0);
    const cleared = w.client.nextDiagnostics(orders, none);
    await w.write('.kiro/schemas/user.yaml', w.text(USERS).replace('name: users', 'name: user'));
    await cleared;
    const broken = w.client.nextDiagnostics(orders, (d) => codes(d).includes('unknown-column'));
    await w.write(
      '.kiro/schemas/user.yaml',
      w.text(USERS).replace('name: users', 'name: user').replace('- name: id', '- name: uid'),
    );
    await broken;
    const back = w.client.nextDiagnostics(orders, (d) => codes(d).includes('unknown-schema'));
    await w.remove('.kiro/schemas/user.yaml');
    expect(codes((await back).diagnostics)).toEqual(['unknown-schema']);
  });

  test('without a registered watcher a registry created after the start is seen (aegis init in the editor)', async () => {
    const users = (await exampleRegistry())[USERS] ?? '';
    const w = await lspWorkspace({}, { example: false });
    try {
      // Both files are loaded: orders' unknown `user` gets the did-you-mean `users` from the other file.
      const shown = w.client.nextDiagnostics(w.uri(ORDERS_FILE), (d) =>
        d.some((x) => x.code === 'unknown-schema' && (x.data as { suggestion?: string })?.suggestion === 'users'),
      );
      await w.write(USERS, users);
      await w.write(ORDERS_FILE, ORDERS);
      expect(codes((await shown).diagnostics)).toEqual(['unknown-schema']);
    } finally {
      await w.close();
    }
  });

  test("an open file whose bytes on disk are Latin-1 shows the CLI's yaml-syntax error until saved as UTF-8", async () => {
    const latin1 = Buffer.from(ORDERS.replace('description: ', 'description: Café '), 'latin1');
    const w = await start({ [ORDERS_FILE]: latin1 });
    const uri = w.uri(ORDERS_FILE);
    // The client decodes the file as Latin-1 and sends text that parses: its reference is checked (an
    // unknown schema), and the bytes on disk still are not UTF-8.
    const shown = w.client.nextDiagnostics(uri, (d) => codes(d).includes('unknown-schema'));
    await w.client.open(uri, latin1.toString('latin1'));
    expect(codes((await shown).diagnostics)).toEqual(['yaml-syntax', 'unknown-schema']);
    const [error] = (await shown).diagnostics;
    expect(error).toMatchObject({ code: 'yaml-syntax', source: 'aegis' });
    expect(error?.message).toContain('not valid UTF-8 (byte 0xE9)');
    const fixed = w.client.nextDiagnostics(uri, (d) => !codes(d).includes('yaml-syntax'));
    await w.write(ORDERS_FILE, latin1.toString('latin1'));
    await w.client.save(uri);
    expect(codes((await fixed).diagnostics)).toEqual(['unknown-schema']);
  });

  test('renaming a schema without file renames is an error saying what to do; columns still rename', async () => {
    const w = await start(undefined, { workspaceEdit: { documentChanges: true } });
    const users = w.text(USERS);
    await expect(
      w.client.request('textDocument/rename', {
        textDocument: { uri: w.uri(USERS) },
        position: at(users, 'name: users', 'users'),
        newName: 'members',
      }),
    ).rejects.toThrow(
      "This editor cannot rename files through the language server, and the schema's file must keep its name: rename .kiro/schemas/users.yaml to .kiro/schemas/members.yaml first",
    );
    const edit = await w.client.request<{ changes: Record<string, unknown[]> }>('textDocument/rename', {
      textDocument: { uri: w.uri(USERS) },
      position: at(users, '- name: email', 'email'),
      newName: 'mail',
    });
    expect(Object.keys(edit.changes)).toContain(w.uri(USERS));
  });

  test('a file renamed on disk with no event sent (eglot 1.9 drops renames) is found before a rename', async () => {
    const w = await start(undefined, {
      workspaceEdit: { documentChanges: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
    });
    // The client registered a watcher (so the server watches nothing itself), and sends no event for this.
    await rename(path.join(w.dir, USERS), path.join(w.dir, MEMBERS));
    const edit = await w.client.request<{ changes: Record<string, unknown[]> }>('textDocument/rename', {
      textDocument: { uri: w.uri(MEMBERS) },
      position: at(w.text(USERS), 'name: users', 'users'),
      newName: 'members',
    });
    expect(Object.keys(edit.changes)).toContain(w.uri(MEMBERS));
    expect(Object.keys(edit.changes)).not.toContain(w.uri(USERS));
  });

  test('without file creation the "create schema file" quick fix is a command the server carries out', async () => {
    const w = await start(undefined, { workspaceEdit: { documentChanges: false } });
    const orders = w.uri(ORDERS_FILE);
    const [diagnostic] = await w.client.waitFor(orders, (d) => d.length > 0);
    const actions = await w.client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: orders },
      range: diagnostic?.range,
      context: { diagnostics: [diagnostic] },
    });
    const create = actions.find((a) => a.title === 'Create schema file .kiro/schemas/user.yaml');
    expect(create?.edit).toBeUndefined();
    expect(create?.command?.command).toBe('aegis.createSchemaFile');
    const cleared = w.client.nextDiagnostics(orders, none);
    await w.client.request('workspace/executeCommand', create?.command);
    await cleared;
    await expect(w.client.request('workspace/executeCommand', create?.command)).rejects.toThrow(/already exists/);
  });

  test('completion offers what starts with the typed prefix, at most 100, and says when the list is cut', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) {
      const name = `t_${String(i).padStart(3, '0')}`;
      files[`.kiro/schemas/${name}.yaml`] =
        `name: ${name}\nowner: a\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true, nullable: false }\n`;
    }
    const w = await start({ ...files, [ORDERS_FILE]: ORDERS });
    const uri = w.uri(ORDERS_FILE);
    const complete = async (typed: string): Promise<CompletionList> => {
      const text = ORDERS.replace('schema: user\n', `schema: ${typed}\n`);
      await w.client.change(uri, typed.length + 2, text);
      return w.client.request<CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: after(text, `schema: ${typed}`),
      });
    };
    await w.client.open(uri, ORDERS);
    const all = await complete('t_');
    expect(all.isIncomplete).toBe(true);
    expect(all.items).toHaveLength(100);
    expect(all.items[0]?.label).toBe('t_000');
    const some = await complete('t_12');
    expect(some.isIncomplete).toBe(false);
    expect(some.items.map((i) => i.label)).toEqual([
      't_120',
      't_121',
      't_122',
      't_123',
      't_124',
      't_125',
      't_126',
      't_127',
      't_128',
      't_129',
    ]);
    expect((await complete('US')).items.map((i) => i.label)).toEqual(['users']);
  });
});
