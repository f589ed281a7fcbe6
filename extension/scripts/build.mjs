// Bundles the extension and the language server with esbuild into dist/, and copies the files the package
// ships but does not own: Mermaid's self-contained renderer (3.6 MB, never committed) and core's JSON Schema.
// Offline: everything comes from node_modules and the workspace. Needs `tsc -b` first (the server's dist).
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));
const at = (...parts) => path.join(root, ...parts);

const common = { bundle: true, minify: true, sourcemap: false, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({ ...common, entryPoints: [at('src/extension.ts')], outfile: at('dist/extension.cjs'),
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] }),
  build({ ...common, entryPoints: [at('src/server-main.ts')], outfile: at('dist/server.cjs'),
    platform: 'node', format: 'cjs', target: 'node20' }),
  build({ ...common, entryPoints: [at('src/webview/erd-view.ts')], outfile: at('dist/erd-view.js'),
    platform: 'browser', format: 'iife', target: 'chrome120' }),
]);

await mkdir(at('media'), { recursive: true });
await copyFile(require.resolve('mermaid/dist/mermaid.min.js'), at('media/mermaid.min.js'));
await mkdir(at('schemas'), { recursive: true });
await copyFile(at('../packages/core/schema/schema-file.json'), at('schemas/schema-file.json'));
