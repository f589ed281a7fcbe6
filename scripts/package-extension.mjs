// Packages the VS Code extension into a .vsix, in a staging folder (the source tree is left as it is):
// copies the manifest and the package's documents, builds the bundles there (extension/scripts/build.mjs
// --out, which also writes ThirdPartyNotices.txt) and runs `vsce package --no-dependencies` (the bundles
// carry every dependency; without the flag vsce runs `npm list`, which fails on pnpm's layout). Offline.
// Prints the .vsix path, which the release workflow publishes to the VS Code Marketplace and Open VSX.
//
//   node scripts/package-extension.mjs [--out DIR]     (after `tsc -b`; default DIR: build/)
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { at } from './bundle-support.mjs';

const SHIPPED = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE.txt', 'media/icon.png'];

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(values.out ?? at('build'));
const stage = path.join(out, 'extension-stage');
const manifest = JSON.parse(await readFile(at('extension/package.json'), 'utf8'));
const vsix = path.join(out, `${manifest.name}-${manifest.version}.vsix`);
await rm(stage, { recursive: true, force: true });
await mkdir(path.join(stage, 'media'), { recursive: true });
for (const file of SHIPPED) await copyFile(at('extension', file), path.join(stage, file));
execFileSync(process.execPath, [at('extension/scripts/build.mjs'), '--out', stage], { stdio: 'inherit' });
execFileSync(at('extension/node_modules/.bin/vsce'), ['package', '--no-dependencies', '-o', vsix], {
  cwd: stage,
  stdio: ['ignore', 'ignore', 'inherit'],
});
await rm(stage, { recursive: true, force: true });
process.stdout.write(`${vsix}\n`);
