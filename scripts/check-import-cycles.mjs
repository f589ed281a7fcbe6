// Finds import cycles among the TypeScript sources of packages/*/src: every relative import (`./x.js`,
// `../y/index.js`, `export … from`, `import type`, dynamic `import()`) is resolved to the .ts file it names,
// and each strongly connected group of files is one cycle. Exits 1 listing each, 0 when there is none.
//
//   node scripts/check-import-cycles.mjs [--root DIR]    (default: this repository; scripts/test.sh runs it)
//
// Type-only imports count too: a cycle of types is still two modules that cannot be understood apart.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { at } from './bundle-support.mjs';

/** Every .ts file (not .d.ts) below `dir`. */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The .ts file a relative specifier names (`./a.js` → a.ts, `./dir` or `./dir/index.js` → dir/index.ts). */
function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

/** File → the files it imports (relative imports only: packages import each other through built entry points). */
export function importGraph(files) {
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((i) => resolveImport(file, i.fileName)).filter(Boolean);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file, or one file importing itself. */
export function findCycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) !== index.get(node)) return;
    const group = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || (graph.get(node) ?? []).includes(node)) groups.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return groups;
}

/** One concrete loop through a group: from its first file along imports inside the group back to it. */
function loopThrough(group, graph) {
  const inGroup = new Set(group);
  const start = group[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const to of graph.get(node) ?? []) {
      if (!inGroup.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at = node; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return group;
}

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = path.resolve(values.root ?? at('.'));
const packages = path.join(root, 'packages');
const files = readdirSync(packages)
  .map((name) => path.join(packages, name, 'src'))
  .filter((dir) => existsSync(dir))
  .flatMap(sourceFiles);
const graph = importGraph(files);
const cycles = findCycles(graph);
const show = (file) => path.relative(root, file);
for (const group of cycles) {
  process.stdout.write(
    `import cycle (${group.length} file${group.length === 1 ? '' : 's'}): ${loopThrough(group, graph).map(show).join(' → ')}\n`,
  );
  if (group.length > 2) process.stdout.write(`  files in it: ${group.map(show).join(', ')}\n`);
}
process.stdout.write(
  cycles.length === 0
    ? `no import cycle in ${files.length} files under packages/*/src\n`
    : `${cycles.length} import cycle(s) in ${files.length} files under packages/*/src\n`,
);
process.exitCode = cycles.length === 0 ? 0 : 1;
