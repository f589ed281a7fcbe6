// Writes the licence notices of every npm package whose code a bundle contains (from esbuild's metafile):
// name, version, licence and the package's own licence text. Shipped beside each bundle we distribute.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundledPackageDirs } from './bundle-support.mjs';

async function licenceText(dir) {
  const names = (await readdir(dir)).filter((n) => /^(licen[cs]e|copying|notice)(\.|-|$)/i.test(n)).sort();
  const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
  return texts.map((t) => t.trim()).join('\n\n');
}

/** The notices text for the packages bundled per `metafile`; `title` names the product. */
export async function thirdPartyNotices(metafile, title) {
  const sections = [];
  for (const [name, dir] of bundledPackageDirs(metafile)) {
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

/** Writes the notices for `metafile` to `file`; returns how many packages it lists. */
export async function writeThirdPartyNotices(metafile, title, file) {
  const { text, count } = await thirdPartyNotices(metafile, title);
  await writeFile(file, text);
  return count;
}
