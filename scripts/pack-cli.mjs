// Makes the installable CLI: one npm package, @aegis-schema-registry/cli, with the `aegis` and
// `aegis-language-server` binaries. The workspace's own packages (@aegis/core, git, freeze, migrate, events,
// bot, language-server) are bundled into it with esbuild, so only this one package is published; their npm
// dependencies stay dependencies, installed from the registry as usual (see docs/deploy.md, "Packages").
//
//   node scripts/pack-cli.mjs [--pack-destination DIR] [--stage DIR]
//
// Needs `tsc -b` first (it bundles the packages' dist/). Stages the package in packages/cli/publish/ and runs
// `npm pack` there; prints the tarball's path. The release workflow publishes that tarball.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { at, declaredDependencies, externalImports, workspaceOnly } from './bundle-support.mjs';

const CLI_PACKAGE = '@aegis-schema-registry/cli';
const REPOSITORY = 'https://github.com/aegis-schema-registry/aegis';

/** Bundles the CLI and the language server into `stage/dist`; returns the npm packages they import. */
async function bundle(stage) {
  const result = await build({
    absWorkingDir: at(),
    entryPoints: {
      main: at('packages/cli/dist/main.js'),
      server: at('packages/language-server/dist/server.js'),
      // The server's start-up scan runs this in worker threads; it finds it beside itself in dist/.
      'load-worker': at('packages/language-server/dist/load-worker.js'),
    },
    outdir: path.join(stage, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'warning',
    plugins: [workspaceOnly],
  });
  return externalImports(result.metafile);
}

async function manifest(imports) {
  const cli = JSON.parse(await readFile(at('packages/cli/package.json'), 'utf8'));
  const declared = await declaredDependencies();
  const missing = imports.filter((name) => !declared.has(name));
  if (missing.length > 0) throw new Error(`imported but declared by no package.json: ${missing.join(', ')}`);
  return {
    name: CLI_PACKAGE,
    version: cli.version,
    description: 'Aegis Schema Registry: the aegis CLI, GitHub App server and language server for .kiro/schemas',
    license: 'MIT',
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: 'packages/cli' },
    homepage: `${REPOSITORY}#readme`,
    bugs: `${REPOSITORY}/issues`,
    keywords: ['schema', 'registry', 'yaml', 'database', 'github-app', 'language-server'],
    type: 'module',
    engines: { node: '>=20.19' },
    bin: { aegis: './bin/aegis.js', 'aegis-language-server': './bin/aegis-language-server.js' },
    files: ['bin', 'dist', 'schema', 'README.md', 'LICENSE', 'CHANGELOG.md'],
    dependencies: Object.fromEntries(imports.map((name) => [name, declared.get(name)])),
  };
}

async function stagePackage(stage) {
  await rm(stage, { recursive: true, force: true });
  const imports = await bundle(stage);
  await mkdir(path.join(stage, 'bin'), { recursive: true });
  await copyFile(at('packages/cli/bin/aegis.js'), path.join(stage, 'bin/aegis.js'));
  await writeFile(
    path.join(stage, 'bin/aegis-language-server.js'),
    "#!/usr/bin/env node\nimport { startServer } from '../dist/server.js';\n\nstartServer();\n",
  );
  for (const bin of ['aegis.js', 'aegis-language-server.js']) await chmod(path.join(stage, 'bin', bin), 0o755);
  await cp(at('packages/core/schema'), path.join(stage, 'schema'), { recursive: true });
  await copyFile(at('packages/cli/README.md'), path.join(stage, 'README.md'));
  await copyFile(at('LICENSE'), path.join(stage, 'LICENSE'));
  // Written by `changeset version` (none before the first release).
  await copyFile(at('packages/cli/CHANGELOG.md'), path.join(stage, 'CHANGELOG.md')).catch(() => undefined);
  await writeFile(path.join(stage, 'package.json'), `${JSON.stringify(await manifest(imports), null, 2)}\n`);
}

const { values } = parseArgs({
  options: { 'pack-destination': { type: 'string' }, stage: { type: 'string' } },
});
const stage = path.resolve(values.stage ?? at('packages/cli/publish'));
const destination = path.resolve(values['pack-destination'] ?? stage);
await stagePackage(stage);
await mkdir(destination, { recursive: true });
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: stage, encoding: 'utf8' }),
);
process.stdout.write(`${path.join(destination, packed[0].filename)}\n`);
