// Bundles the extension and the language server with esbuild into dist/, and copies the files the package
// ships but does not own: Mermaid's self-contained renderer (3.6 MB, never committed) and core's JSON Schema.
// Run by test/lsp/extension.test.ts; by hand: `node extension/scripts/build.mjs` after `tsc -b`.
// Offline: everything comes from node_modules and the workspace. Needs `tsc -b` first (the server's dist).
import { build } from 'esbuild';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));
const at = (...parts) => path.join(root, ...parts);

const common = { bundle: true, minify: true, sourcemap: false, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({
    ...common,
    entryPoints: [at('src/extension.ts')],
    outfile: at('dist/extension.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  }),
  build({
    ...common,
    entryPoints: [at('src/server-main.ts')],
    outfile: at('dist/server.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  }),
  build({
    ...common,
    entryPoints: [at('src/webview/erd-view.ts')],
    outfile: at('dist/erd-view.js'),
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  }),
]);

await mkdir(at('media'), { recursive: true });
await copyFile(require.resolve('mermaid/dist/mermaid.min.js'), at('media/mermaid.min.js'));
await mkdir(at('schemas'), { recursive: true });
// The JSON Schema comes from core's build, the one ajv validates with, so editors and checks agree.
const core = await import(pathToFileURL(at('../packages/core/dist/index.js')).href);
await writeFile(at('schemas/schema-file.json'), `${JSON.stringify(core.schemaFileJsonSchema, null, 2)}\n`);
