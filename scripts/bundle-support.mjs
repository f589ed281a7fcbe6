// What the build and pack scripts share: the workspace's layout, which imports stay outside a bundle, and the
// npm packages a bundle depends on or contains (for package.json dependencies and licence notices).
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const at = (...parts) => path.join(ROOT, ...parts);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isBuiltin = (name) => name.startsWith('node:') || builtinModules.includes(packageNameOf(name));

/**
 * An esbuild plugin that bundles the workspace's own `@aegis/*` packages and leaves every other bare import
 * (the npm dependencies) as an import, to be installed from the registry beside the bundle.
 */
export const workspaceOnly = {
  name: 'workspace-only',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@aegis/') || isBuiltin(args.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Every `dependencies` entry the workspace's packages declare: name → version range (first one wins). */
export async function declaredDependencies() {
  const ranges = new Map();
  for (const dir of await readdir(at('packages'))) {
    const manifest = JSON.parse(await readFile(at('packages', dir, 'package.json'), 'utf8'));
    for (const [name, range] of Object.entries(manifest.dependencies ?? {}))
      if (!range.startsWith('workspace:') && !ranges.has(name)) ranges.set(name, range);
  }
  return ranges;
}

/** The npm packages a bundle imports from outside (esbuild metafile), sorted. */
export function externalImports(metafile) {
  const names = new Set();
  for (const output of Object.values(metafile.outputs))
    for (const imported of output.imports)
      if (imported.external && !isBuiltin(imported.path)) names.add(packageNameOf(imported.path));
  return [...names].sort();
}

/** The folders of the npm packages whose code went into a bundle (esbuild metafile inputs), sorted by name. */
export function bundledPackageDirs(metafile) {
  const dirs = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input.replace(/\\/g, '/'));
    if (m) dirs.set(m[2], path.resolve(ROOT, m[1]));
  }
  return [...dirs.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * esbuild options for a bundle that runs from a folder with no node_modules (the action, the app): every
 * package inlined, ESM for Node 20, with a `require` for the CommonJS packages inside (pg, probot's deps).
 * `pg-native` and Cloudflare sockets are optional paths of pg that Node never takes.
 */
export const selfContained = {
  absWorkingDir: ROOT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  external: ['pg-native', 'cloudflare:sockets'],
  banner: {
    js: "import { createRequire as __aegisRequire } from 'node:module'; const require = __aegisRequire(import.meta.url);",
  },
};
