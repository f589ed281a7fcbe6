// Builds the GitHub Action's bundle: dist/action.js, one self-contained file (the action has no node_modules
// when a workflow runs it), plus dist/ThirdPartyNotices.txt. action.yml runs it with node20.
//
//   node scripts/build-action.mjs [--out DIR]     (after `tsc -b`; default DIR: dist/ at the repository root)
//
// dist/ is not committed on main: the release workflow builds it and commits it into the release tag and the
// moving major tag (v1), which is what `uses: aegis-schema-registry/aegis@v1` checks out. See docs/deploy.md.
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { at, selfContained } from './bundle-support.mjs';
import { writeThirdPartyNotices } from './third-party-notices.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(values.out ?? at('dist'));
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const result = await build({
  ...selfContained,
  entryPoints: [at('packages/cli/dist/action/main.js')],
  outfile: path.join(out, 'action.js'),
});
const count = await writeThirdPartyNotices(
  result.metafile,
  'The Aegis GitHub Action',
  path.join(out, 'ThirdPartyNotices.txt'),
);
process.stdout.write(`${path.join(out, 'action.js')} (${count} third-party packages bundled)\n`);
