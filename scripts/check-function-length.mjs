// Lists production functions longer than a limit (default 60 lines, first line to last), longest first:
// function declarations and expressions, arrow functions, methods, constructors and accessors, each counted on
// its own (an outer function's count includes the functions inside it). Tests (*.test.ts) and test-support/
// are not production code and are left out. Exits 1 when any function is over the limit.
//
//   node scripts/check-function-length.mjs [--max 60] [DIR …]    (default DIR: packages/bot/src)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { at, ROOT } from './bundle-support.mjs';

const isProduction = (file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts');

/** Production .ts files below `dir`, test-support/ and __fixtures__/ left out. */
function productionFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['test-support', '__fixtures__'].includes(entry.name) ? [] : productionFiles(full);
    return isProduction(entry.name) ? [full] : [];
  });
}

/** The name a reader finds a function by: its own, the variable or property it is assigned to, or `(anonymous)`. */
function nameOf(node) {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name))
    return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

/** Every function-like node of a file with its length in lines. */
export function functionLengths(file, text = readFileSync(file, 'utf8')) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      found.push({ file, name: nameOf(node), line: first, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const { values, positionals } = parseArgs({
  options: { max: { type: 'string', default: '60' } },
  allowPositionals: true,
});
const max = Number(values.max);
const dirs = positionals.length > 0 ? positionals.map((d) => path.resolve(d)) : [at('packages/bot/src')];
const files = dirs.flatMap(productionFiles);
const over = files
  .flatMap((file) => functionLengths(file))
  .filter((f) => f.lines > max)
  .sort((a, b) => b.lines - a.lines);
for (const f of over) process.stdout.write(`${f.lines} lines  ${path.relative(ROOT, f.file)}:${f.line}  ${f.name}\n`);
process.stdout.write(`${over.length} function(s) over ${max} lines in ${files.length} production files\n`);
process.exitCode = over.length === 0 ? 0 : 1;
