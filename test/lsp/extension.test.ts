import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateRegistry } from '../../bench/lsp/generate-registry.js';
import { webviewHtml } from '../../extension/src/webview-html.js';
import { tempDir } from '../helpers/temp-dir.js';
import { FakeUri, fakeVscode } from './fake-vscode.js';
import type { FakeVscodeRecord } from './fake-vscode.js';
import { BROKEN, BROKEN_FILE, ORDERS, ORDERS_FILE } from './lsp-fixtures.js';
import { LspTestClient } from './lsp-test-client.js';
import { exampleRegistry } from './lsp-workspace.js';
import { readZip } from './read-zip.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const extensionDir = path.join(repo, 'extension');
const results = path.join(repo, 'test-results');

const uriIn = (dir: string, file: string): string => pathToFileURL(path.join(dir, file)).href;

let unpacked = '';
let cleanup: () => Promise<void> = async () => undefined;
let vsixEntries: string[] = [];

// One build for both tests: esbuild bundles, then vsce packages offline (a dead proxy makes any network
// access fail) into a .vsix, which is unpacked so the tests below run only what ships.
beforeAll(async () => {
  await run(process.execPath, [path.join(extensionDir, 'scripts/build.mjs')], { cwd: extensionDir });
  const temp = await tempDir();
  cleanup = temp.cleanup;
  const vsix = path.join(temp.dir, 'aegis.vsix');
  const offline = {
    ...process.env,
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    npm_config_offline: 'true',
  };
  await run(path.join(extensionDir, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '-o', vsix], {
    cwd: extensionDir,
    env: offline,
  });
  const entries = readZip(await readFile(vsix));
  vsixEntries = [...entries.keys()];
  unpacked = path.join(temp.dir, 'unpacked');
  for (const [name, content] of entries) {
    if (name.endsWith('/')) continue;
    await mkdir(path.dirname(path.join(unpacked, name)), { recursive: true });
    await writeFile(path.join(unpacked, name), content);
  }
}, 180_000);

afterAll(() => cleanup());

/** The example registry in a fresh workspace, and the ERD the bundled server (from the .vsix) returns for it. */
async function erdFromBundledServer(): Promise<string> {
  const ws = await tempDir();
  try {
    await cp(path.join(repo, '.kiro/schemas'), path.join(ws.dir, '.kiro/schemas'), { recursive: true });
    const client = LspTestClient.start({
      command: process.execPath,
      args: [path.join(unpacked, 'extension/dist/server.cjs'), '--stdio'],
      cwd: ws.dir,
    });
    await client.initialize(ws.dir);
    const { mermaid } = await client.request<{ mermaid: string }>('aegis/erd', {});
    await client.stop();
    return mermaid;
  } finally {
    await ws.cleanup();
  }
}

describe('VS Code extension package', () => {
  test('the .vsix holds the bundled extension, server and its worker, webview script and Mermaid, and no sources', async () => {
    const files = vsixEntries.filter((e) => e.startsWith('extension/'));
    expect(files).toEqual(
      expect.arrayContaining([
        'extension/package.json',
        'extension/dist/extension.cjs',
        'extension/dist/server.cjs',
        'extension/dist/load-worker.cjs',
        'extension/dist/erd-view.js',
        'extension/media/mermaid.min.js',
        'extension/media/icon.png',
        'extension/changelog.md',
        'extension/ThirdPartyNotices.txt',
      ]),
    );
    expect(files.filter((f) => /\/(src|node_modules|scripts|schemas)\//.test(f))).toEqual([]);
    const manifest = JSON.parse(await readFile(path.join(unpacked, 'extension/package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[]; yamlValidation?: unknown };
    };
    expect(manifest.contributes.commands.map((c) => c.command)).toContain('aegis.showErd');
    // Structure is the server's to report: no JSON Schema for the YAML extension (docs/editor.md).
    expect(manifest.contributes.yamlValidation).toBeUndefined();
  });

  test('the bundled server from the .vsix loads a registry in worker threads, with the same diagnostics', async () => {
    const ws = await tempDir();
    try {
      await generateRegistry(ws.dir, 300);
      await writeFile(path.join(ws.dir, ORDERS_FILE), ORDERS);
      await writeFile(path.join(ws.dir, BROKEN_FILE), BROKEN);
      const client = LspTestClient.start({
        command: process.execPath,
        args: [path.join(unpacked, 'extension/dist/server.cjs'), '--stdio'],
        cwd: ws.dir,
      });
      try {
        await client.initialize(ws.dir);
        await client.scanned();
        const last = client.progress.filter((p) => p.value.kind === 'report').at(-1)?.value.message;
        expect(last).toMatch(/^303 files loaded in [1-4] worker threads?$/);
        // Neither file is open: what a worker loaded (the broken file) and the cross-file check (orders).
        const broken = await client.waitFor(uriIn(ws.dir, BROKEN_FILE), (list) => list.length > 0);
        expect(broken.map((d) => d.code)).toContain('invalid-field');
        const orders = await client.waitFor(uriIn(ws.dir, ORDERS_FILE), (list) => list.length > 0);
        expect(orders.map((d) => d.code)).toEqual(['unknown-schema']);
      } finally {
        await client.stop();
      }
    } finally {
      await ws.cleanup();
    }
  });

  test('the webview draws the registry ERD in headless Chromium from the bundled files alone', async () => {
    const mermaid = await erdFromBundledServer();
    expect(mermaid).toMatch(/^erDiagram/);
    const server: Server = createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/') {
        const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
        const html = webviewHtml({
          diagram: mermaid,
          cspSource: origin,
          nonce: 'bm9uY2UtZm9yLXRlc3Q=',
          mermaidUrl: `${origin}/media/mermaid.min.js`,
          viewUrl: `${origin}/dist/erd-view.js`,
        });
        res.writeHead(200, { 'content-type': 'text/html' }).end(html);
        return;
      }
      readFile(path.join(unpacked, 'extension', path.normalize(url)))
        .then((body) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(body))
        .catch(() => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
      const foreign: string[] = [];
      const errors: string[] = [];
      await page.route('**/*', (route) => {
        if (route.request().url().startsWith(origin)) return route.continue();
        foreign.push(route.request().url());
        return route.abort();
      });
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${origin}/`);
      await page.waitForSelector('body[data-state="rendered"], body[data-state="error"]', { timeout: 30_000 });
      expect(await page.textContent('#error')).toBe('');
      const drawn = await page.evaluate(() => {
        const svg = document.querySelector('#erd svg');
        return {
          text: svg?.textContent ?? '',
          relations: svg?.querySelectorAll('path.relationshipLine, .relationshipLine').length ?? 0,
        };
      });
      for (const table of ['users', 'applications', 'policies', 'audit_logs']) expect(drawn.text).toContain(table);
      expect(drawn.text).toContain('email');
      expect(drawn.relations).toBeGreaterThanOrEqual(5);
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
      await mkdir(results, { recursive: true });
      await page.screenshot({ path: path.join(results, 'erd-webview.png'), fullPage: true });
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('the packaged extension starts its bundled server through vscode-languageclient (VS Code API faked)', async () => {
    const ws = await tempDir({ ...(await exampleRegistry()), [ORDERS_FILE]: ORDERS });
    const record: FakeVscodeRecord = {
      diagnostics: new Map(),
      commands: new Map(),
      log: [],
      panels: [],
      warnings: [],
      updates: [],
      yamlApiCalls: [],
    };
    const orders = pathToFileURL(path.join(ws.dir, ORDERS_FILE)).href;
    const delivered = new Promise<void>((resolve) => {
      record.onDiagnostics = () => (record.diagnostics.get(orders)?.length ? resolve() : undefined);
    });
    // The bundle requires 'vscode' like any extension; Node's loader hands it the fake instead.
    const loader = createRequire(import.meta.url)('node:module') as {
      _load: (request: string, ...rest: unknown[]) => unknown;
    };
    const load = loader._load;
    // Red Hat's YAML extension is installed, and the workspace still has the association an older `aegis init`
    // wrote (beside one of its own for other files).
    const own = { './ci/pipeline.schema.json': ['ci/*.yaml'] };
    const fake = fakeVscode(ws.dir, record, {
      yamlExtension: true,
      yamlSchemas: {
        workspaceValue: {
          ...own,
          './.kiro/json-schema/schema-file.json': ['.kiro/schemas/**/*.yaml', '!.kiro/schemas/**/registry.yaml'],
          './.kiro/json-schema/registry-file.json': ['.kiro/schemas/registry.yaml'],
        },
      },
      answer: (actions) => actions[0],
    });
    loader._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fake : load(request, ...rest));
    const root = path.join(unpacked, 'extension');
    const extension = createRequire(import.meta.url)(path.join(root, 'dist/extension.cjs')) as {
      activate(context: unknown): Promise<void>;
      deactivate(): Promise<void>;
    };
    try {
      const context = {
        subscriptions: [],
        extensionPath: root,
        asAbsolutePath: (p: string) => path.join(root, p),
        extensionUri: FakeUri.file(root),
      };
      await extension.activate(context);
      await delivered;
      const found = record.diagnostics.get(orders) ?? [];
      expect(found.map((d) => d.code)).toEqual(['unknown-schema']);
      // One source of structure: nothing is handed to the YAML extension, and the old association is named
      // and, on the user's answer, removed from the workspace settings (the workspace's own one kept).
      expect(record.yamlApiCalls).toEqual([]);
      expect(record.warnings).toHaveLength(1);
      expect(record.warnings[0]?.message).toContain('associates .kiro/schemas with a JSON Schema');
      await record.warningHandled;
      expect(record.updates).toEqual([{ key: 'yaml.schemas', value: own, target: 2 }]);
      // The manifest's two, and the server's executeCommandProvider command that vscode-languageclient registers.
      expect([...record.commands.keys()].sort()).toEqual([
        'aegis.createSchemaFile',
        'aegis.restartServer',
        'aegis.showErd',
        'aegis.showSchemaErd',
      ]);
      // A restarted server answers the ERD request (the command waits for the new server to start).
      await record.commands.get('aegis.restartServer')?.();
      await record.commands.get('aegis.showErd')?.();
      const html = record.panels[0] ?? '';
      expect(html).toContain('default-src &#39;none&#39;');
      expect(html).toContain(`src="vscode-webview:${FakeUri.file(path.join(root, 'media/mermaid.min.js')).path}"`);
      expect(html).toMatch(/erDiagram[\s\S]*orders/);
    } finally {
      await extension.deactivate();
      loader._load = load;
      await ws.cleanup();
    }
  });
});
