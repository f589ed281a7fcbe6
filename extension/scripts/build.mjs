// Bundles the extension and the language server with esbuild into dist/, and copies the files the package
// ships but does not own: Mermaid's self-contained renderer (3.6 MB, never committed).
// Writes ThirdPartyNotices.txt: the licences of every package bundled (and of Mermaid and what it bundles).
// Run by test/lsp/extension.test.ts and scripts/package-extension.mjs; by hand: `node extension/scripts/build.mjs`
// after `tsc -b`. `--out DIR` writes the outputs under DIR instead of extension/ (a staging folder).
// Offline: everything comes from node_modules and the workspace. Needs `tsc -b` first.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dependencyClosure, writeThirdPartyNotices } from '../../scripts/third-party-notices.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));
const at = (...parts) => path.join(root, ...parts);
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outRoot = path.resolve(values.out ?? root);
const out = (...parts) => path.join(outRoot, ...parts);

const common = {
  absWorkingDir: path.dirname(root),
  bundle: true,
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
};

// The server finds its worker script with `new URL('./load-worker.cjs', import.meta.url)`; CommonJS has no
// `import.meta`, so the bundle gets its own file URL under that name.
const serverCjs = {
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

const results = await Promise.all([
  build({
    ...common,
    entryPoints: [at('src/extension.ts')],
    outfile: out('dist/extension.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  }),
  build({
    ...common,
    ...serverCjs,
    entryPoints: [at('src/server-main.ts')],
    outfile: out('dist/server.cjs'),
  }),
  // The scan's worker thread, which the server finds beside itself (load-files.ts) and starts per core.
  build({
    ...common,
    ...serverCjs,
    entryPoints: [require.resolve('@aegis/language-server/load-worker')],
    outfile: out('dist/load-worker.cjs'),
  }),
  build({
    ...common,
    entryPoints: [at('src/webview/erd-view.ts')],
    outfile: out('dist/erd-view.js'),
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  }),
]);

await mkdir(out('media'), { recursive: true });
await copyFile(require.resolve('mermaid/dist/mermaid.min.js'), out('media/mermaid.min.js'));

const inputs = Object.assign({}, ...results.map((r) => r.metafile.inputs));
await writeThirdPartyNotices(
  { inputs, outputs: {} },
  'The Aegis Schema Registry extension',
  out('ThirdPartyNotices.txt'),
  await dependencyClosure('mermaid', root),
);
