// Writes the licence notices of every npm package whose code a bundle contains: name, version, licence and
// the package's own licence text. Shipped beside each bundle we distribute (the CLI's dependencies are
// installed from the registry with their own licences instead).
import { existsSync, realpathSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundledPackageDirs } from './bundle-support.mjs';

async function licenceText(dir) {
  const names = (await readdir(dir)).filter((n) => /^(licen[cs]e|copying|notice)(\.|-|$)/i.test(n)).sort();
  const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
  return texts.map((t) => t.trim()).join('\n\n');
}

/** The folder of package `name` as Node's lookup finds it from `fromDir` (node_modules of it and its parents). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${name} from ${fromDir}`);
  }
}

/**
 * A package and, recursively, every production dependency it declares (type packages left out): what a
 * prebuilt bundle such as mermaid.min.js carries inside it. Returns [name, dir] pairs.
 */
export async function dependencyClosure(name, fromDir, seen = new Map()) {
  if (seen.has(name)) return [...seen.entries()];
  const dir = packageDir(name, fromDir);
  seen.set(name, dir);
  const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(manifest.dependencies ?? {}))
    if (!dep.startsWith('@types/')) await dependencyClosure(dep, dir, seen);
  return [...seen.entries()];
}

/** The notices text for `packages` ([name, dir] pairs); `title` names the product. */
export async function thirdPartyNotices(packages, title) {
  // One section per package folder: two versions of one package both get theirs.
  const byDir = new Map(packages.map(([name, dir]) => [dir, name]));
  const unique = [...byDir.entries()].map(([dir, name]) => [name, dir]).sort(([a], [b]) => a.localeCompare(b));
  const sections = [];
  for (const [name, dir] of unique) {
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    const licence = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'unknown');
    const text = (await licenceText(dir)) || `(no licence file in the package; its package.json says ${licence})`;
    sections.push(`${'-'.repeat(78)}\n${name}@${manifest.version} — ${licence}\n\n${text}\n`);
  }
  const intro =
    `THIRD-PARTY SOFTWARE NOTICES\n\n${title} includes the following third-party packages, ` +
    `bundled into its files. Each is provided under its own licence, reproduced below.\n\n`;
  return { text: `${intro}${sections.join('\n')}`, count: sections.length };
}

/** Writes the notices for the packages bundled per esbuild `metafile` (plus `extra` pairs); returns the count. */
export async function writeThirdPartyNotices(metafile, title, file, extra = []) {
  const { text, count } = await thirdPartyNotices([...bundledPackageDirs(metafile), ...extra], title);
  await writeFile(file, text);
  return count;
}
