import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { afterEach, expect, test } from 'vitest';
import { LanguageSession } from './language-session.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

test('a file opened during the start-up scan shows its own diagnostics at once, the cross-file ones after the scan', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'aegis-session-'));
  dirs.push(dir);
  await mkdir(path.join(dir, '.kiro/schemas'), { recursive: true });
  await writeFile(
    path.join(dir, '.kiro/schemas/users.yaml'),
    'name: users\nowner: a\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true, nullable: false }\n',
  );
  const published: { uri: string; codes: string[] }[] = [];
  const session = new LanguageSession({
    rootDir: dir,
    publish: (uri: string, diagnostics: Diagnostic[]) =>
      published.push({ uri, codes: diagnostics.map((d) => String(d.code)) }),
  });
  const orders = pathToFileURL(path.join(dir, '.kiro/schemas/orders.yaml')).href;
  const text =
    'name: orders\nowner: a\nversion: 1.0.0\nbogus: 1\ncolumns:\n  - { name: id, type: UUID, primary_key: true, nullable: false }\nreferences:\n  - { schema: user, column: id, foreign_key: id }\n';
  const started = session.start();
  await session.changed(orders, text);
  expect(published).toEqual([{ uri: orders, codes: ['invalid-field'] }]);
  await started;
  expect(published.at(-1)).toEqual({ uri: orders, codes: ['invalid-field', 'unknown-schema'] });
});
