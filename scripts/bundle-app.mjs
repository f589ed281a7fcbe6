// Builds the deployable app: the whole `aegis` CLI (and so `aegis bot`, the GitHub App server) as one
// self-contained ESM file that starts with plain `node` from a folder with no node_modules:
//
//   <out>/aegis.mjs                     node aegis.mjs bot   (every other aegis command works too)
//   <out>/pglite.wasm, pglite.data,     PGlite's PostgreSQL-in-WASM, found beside the bundle
//   <out>/initdb.wasm
//   <out>/ThirdPartyNotices.txt         licences of every package bundled
//
//   node scripts/bundle-app.mjs [--out DIR]    (after `tsc -b`; default DIR: build/app)
//
// The Dockerfile copies exactly this folder; test/adoption starts it against the fake GitHub.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { at, selfContained } from './bundle-support.mjs';
import { writeThirdPartyNotices } from './third-party-notices.mjs';

/** PGlite loads these with `new URL(name, import.meta.url)`: in the bundle, that is the bundle's folder. */
const PGLITE_FILES = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(values.out ?? at('build/app'));
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const result = await build({
  ...selfContained,
  // The CLI's own bin script: `main(process.argv)` over the built packages.
  entryPoints: [at('packages/cli/bin/aegis.js')],
  outfile: path.join(out, 'aegis.mjs'),
});
// @electric-sql/pglite is a dependency of @aegis/freeze: resolve its files from there.
const fromFreeze = createRequire(at('packages/freeze/package.json'));
const pgliteDist = path.dirname(fromFreeze.resolve('@electric-sql/pglite'));
for (const file of PGLITE_FILES) await copyFile(path.join(pgliteDist, file), path.join(out, file));
const count = await writeThirdPartyNotices(
  result.metafile,
  'The Aegis app (aegis.mjs)',
  path.join(out, 'ThirdPartyNotices.txt'),
);
process.stdout.write(`${path.join(out, 'aegis.mjs')} (${count} third-party packages bundled)\n`);
