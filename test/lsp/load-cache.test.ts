import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { BROKEN, BROKEN_FILE, ORDERS, ORDERS_FILE, codes } from './lsp-fixtures.js';
import { LspTestClient } from './lsp-test-client.js';
import { SERVER_BIN, exampleRegistry } from './lsp-workspace.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts the server on `dir` with `cacheDir`; resolves once every file's diagnostics of the scan are in. */
async function startUp(dir: string, cacheDir: string): Promise<{ client: LspTestClient; scanEnd: string }> {
  const client = LspTestClient.start({
    command: process.execPath,
    args: [SERVER_BIN, '--stdio'],
    cwd: dir,
    env: { AEGIS_CACHE_DIR: cacheDir },
  });
  cleanups.push(() => client.stop());
  await client.initialize(dir);
  await client.scanned();
  const orders = pathToFileURL(path.join(dir, ORDERS_FILE)).href;
  await client.waitFor(orders, (d) => codes(d).includes('unknown-schema'));
  // Answered after every publication the scan's one slice sent before it.
  await client.request('textDocument/documentSymbol', { textDocument: { uri: orders } });
  // The scan's last report says how the files were loaded (the end notification carries no message).
  const reports = client.progress.filter((p) => p.value.kind === 'report');
  const last = reports.at(-1)?.value as { message?: string } | undefined;
  return { client, scanEnd: last?.message ?? '' };
}

test('a second start on the unchanged registry takes every file from the cache and shows the same diagnostics', async () => {
  const temp = await tempDir({ ...(await exampleRegistry()), [ORDERS_FILE]: ORDERS, [BROKEN_FILE]: BROKEN });
  cleanups.push(temp.cleanup);
  const cacheDir = path.join(temp.dir, '.cache-for-test');
  const cold = await startUp(temp.dir, cacheDir);
  expect(cold.scanEnd).toMatch(/^\d+ files loaded in-process$/);
  // Written after the scan; a start before that would simply load again.
  await expect
    .poll(async () => (await readdir(path.join(cacheDir, 'language-server')).catch(() => [])).length, {
      timeout: 20_000,
    })
    .toBe(1);
  await cold.client.stop();
  const warm = await startUp(temp.dir, cacheDir);
  expect(warm.scanEnd).toMatch(/^\d+ files loaded from the cache$/);
  expect([...warm.client.latest].sort()).toEqual([...cold.client.latest].sort());
  expect(codes(warm.client.latest.get(pathToFileURL(path.join(temp.dir, BROKEN_FILE)).href) ?? [])).not.toEqual([]);
}, 120_000);
