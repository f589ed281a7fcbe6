import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { afterEach, describe, expect, test } from 'vitest';
import { generateRegistry, schemaName, schemaText } from '../../bench/lsp/generate-registry.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ORDERS, ORDERS_FILE, codes, none } from './lsp-fixtures.js';
import { LspTestClient } from './lsp-test-client.js';
import { SERVER_BIN, exampleRegistry } from './lsp-workspace.js';
import { at } from './text-position.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function folder(files: Record<string, string> = {}): Promise<string> {
  const temp = await tempDir(files);
  cleanups.push(temp.cleanup);
  return temp.dir;
}

function client(cwd: string): LspTestClient {
  const c = LspTestClient.start({ command: process.execPath, args: [SERVER_BIN, '--stdio'], cwd });
  cleanups.push(() => c.stop());
  return c;
}

const uriOf = (dir: string, file: string): string => pathToFileURL(path.join(dir, file)).href;

describe('start-up, queued edits and workspace folders', () => {
  test('during the start-up scan an open file is answered at once; progress is reported until the scan ends', async () => {
    const dir = await folder();
    await generateRegistry(dir, 3_000);
    const c = client(dir);
    await c.initialize(dir);
    const file = `.kiro/schemas/${schemaName(1500)}.yaml`;
    const text = schemaText(1500);
    const own = c.nextDiagnostics(uriOf(dir, file));
    await c.open(uriOf(dir, file), text);
    await own;
    const hover = await c.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: uriOf(dir, file) },
      position: at(text, '- name: title', 'title'),
    });
    expect((hover?.contents as { value: string }).value).toContain(`**${schemaName(1500)}.title**`);
    // The answer came before the scan's end (before the old server had even begun to answer).
    expect(c.progress.filter((p) => p.value.kind === 'end')).toEqual([]);
    await c.scanned();
    expect(c.progress[0]?.value.kind).toBe('begin');
    expect(c.progress.filter((p) => p.value.kind === 'report').length).toBeGreaterThan(0);
  }, 120_000);

  test('edits queued behind a long parse are skipped for the newest; the last text wins', async () => {
    const dir = await folder({ ...(await exampleRegistry()), [ORDERS_FILE]: ORDERS });
    const c = client(dir);
    await c.initialize(dir);
    await c.scanned();
    const uri = uriOf(dir, ORDERS_FILE);
    // About 2 MB of comments: each parse takes long enough for the next edits to queue behind it. The tab
    // in each keeps the file outside core's fast subset reader, so yaml parses it, slowly.
    const big = (k: number): string =>
      `${ORDERS}${Array.from({ length: 20_000 }, (_, i) => `# ${k}\t${'x'.repeat(90)} ${i}`).join('\n')}\n`;
    await c.open(uri, big(0));
    const last = c.nextDiagnostics(uri, (d) => codes(d).includes('invalid-field'), 60_000);
    for (let k = 1; k <= 10; k++) await c.change(uri, k + 1, k === 10 ? `${big(k)}bogus: 1\n` : big(k));
    await last;
    const published = c.publications.filter((p) => p.uri === uri);
    expect(published.length).toBeLessThan(11);
  }, 120_000);

  test('every workspace folder holding a registry is one; folders added and removed are followed, each watched', async () => {
    const empty = await folder({ 'README.md': 'no registry here\n' });
    const first = await folder({ ...(await exampleRegistry()), [ORDERS_FILE]: ORDERS });
    const c = client(empty);
    await c.initialize([empty, first], undefined, {
      workspaceFolders: true,
      didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    });
    await c.scanned();
    expect(codes(await c.waitFor(uriOf(first, ORDERS_FILE), (d) => d.length > 0))).toEqual(['unknown-schema']);
    const { mermaid } = await c.request<{ mermaid: string }>('aegis/erd', { uri: uriOf(first, ORDERS_FILE) });
    expect(mermaid).toContain('orders');

    const second = await folder({
      ...(await exampleRegistry()),
      [ORDERS_FILE]: ORDERS.replace('name: orders', 'name: purchases'),
    });
    const added = c.nextDiagnostics(uriOf(second, ORDERS_FILE), (d) => d.length > 0);
    const cleared = c.nextDiagnostics(uriOf(first, ORDERS_FILE), none);
    await c.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: {
        added: [{ uri: pathToFileURL(second).href, name: 'second' }],
        removed: [{ uri: pathToFileURL(first).href, name: 'first' }],
      },
    });
    expect(codes((await added).diagnostics)).toContain('unknown-schema');
    await cleared;
    const hover = await c.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: uriOf(second, ORDERS_FILE) },
      position: { line: 0, character: 7 },
    });
    expect((hover?.contents as { value: string }).value).toContain('**purchases**');
    // A watcher relative to each folder's schema folder: those given at start, then the one added.
    const watched = (dir: string): unknown => ({
      globPattern: { baseUri: pathToFileURL(path.join(dir, '.kiro/schemas')).href, pattern: '**/*.{yaml,yml}' },
    });
    expect(c.registrations.map((r) => r.registerOptions)).toEqual([
      { watchers: [watched(empty), watched(first)] },
      { watchers: [watched(second)] },
    ]);
  }, 60_000);
});
