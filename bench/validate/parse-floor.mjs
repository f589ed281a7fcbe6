// The floor: read every .yaml file of a folder and yaml.parse it, nothing else.
// Plain JavaScript so it runs under bare `node`, like the validators it is compared with.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node parse-floor.mjs <dir>');
let documents = 0;
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.yaml')) continue;
  if (parse(readFileSync(path.join(dir, name), 'utf8')) !== null) documents++;
}
console.log(`${documents} documents parsed`);
