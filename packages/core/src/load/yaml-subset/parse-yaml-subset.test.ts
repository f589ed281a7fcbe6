import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Composer, Parser } from 'yaml';
import { locate } from '../../../../../test/helpers/locate.js';
import { Random } from '../../../../../test/helpers/random.js';
import { generateSchemaYaml, mutate, withLineEndings } from '../../test-support/schema-yaml-generator.js';
import { yamlTreeShape } from '../../test-support/yaml-tree-shape.js';
import { loadFile } from '../load-file.js';
import { parseYamlSubset } from './parse-yaml-subset.js';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const seed = Number(process.env.AEGIS_YAML_SEED ?? Math.floor(Math.random() * 2 ** 31));
const cases = Number(process.env.AEGIS_YAML_CASES ?? 1500);

/** yaml's own reading (what `parseYaml` composes): the tree's shape, the document's range, data, errors. */
function yamlReading(text: string): { shape: unknown; range: unknown; data: unknown; errors: number } {
  const [doc, ...more] = new Composer().compose(new Parser().parse(text), true, text.length);
  if (!doc) throw new Error('yaml composed no document');
  const errors = doc.errors.length + more.length;
  return { shape: yamlTreeShape(doc.contents), range: doc.range, data: errors ? undefined : doc.toJS(), errors };
}

/**
 * The oracle: whenever the subset reads a file, yaml reads it without error to the same nodes, ranges and
 * data, and `loadFile` gives the same result (model and diagnostics) on both paths. Returns whether the
 * subset read it.
 */
function agrees(text: string, label: string): boolean {
  const file = `.kiro/schemas/${label}.yaml`;
  expect(loadFile(file, text, undefined, 'subset-first'), `loadFile of ${label}`).toStrictEqual(
    loadFile(file, text, undefined, 'yaml-only'),
  );
  const subset = parseYamlSubset(text, 64);
  if (!subset) return false;
  const yaml = yamlReading(text);
  expect(yaml.errors, `${label}: the subset read a file yaml rejects`).toBe(0);
  const context = `${label}: ${JSON.stringify(text)}`;
  expect({ shape: yamlTreeShape(subset.contents), range: subset.range, data: subset.data }, context).toStrictEqual({
    shape: yaml.shape,
    range: yaml.range,
    data: yaml.data,
  });
  return true;
}

function yamlFilesUnder(dir: string): string[] {
  const skip = new Set(['node_modules', '.git', '.out', 'dist']);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : yamlFilesUnder(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

describe('parseYamlSubset against yaml', () => {
  it(`agrees on generated and mutated schema files (seed ${seed}; replay: AEGIS_YAML_SEED=${seed})`, () => {
    console.log(`parseYamlSubset oracle: seed ${seed}, ${cases} cases (replay with AEGIS_YAML_SEED=${seed})`);
    const random = new Random(seed);
    let read = 0;
    let flowMappings = 0;
    let crlf = 0;
    for (let i = 0; i < cases; i++) {
      const clean = withLineEndings(random, generateSchemaYaml(random));
      const text = random.chance(0.3) ? mutate(random, clean) : clean;
      if (!agrees(text, `case-${i}`)) continue;
      read++;
      if (text.includes('{')) flowMappings++;
      if (text.includes('\r\n')) crlf++;
    }
    console.log(
      `parseYamlSubset oracle: ${read} of ${cases} files read by the subset (${flowMappings} with flow mappings, ${crlf} with CRLF line breaks), the rest by yaml alone`,
    );
    // The comparison means something only if the subset reads a good share of the files itself.
    expect(read).toBeGreaterThan(cases * 0.15);
    expect(flowMappings).toBeGreaterThan(cases * 0.02);
    expect(crlf).toBeGreaterThan(cases * 0.05);
  });

  it('agrees on every YAML file of the repository (example registry, fixtures, workflows), LF and CRLF', () => {
    const files = yamlFilesUnder(repo).filter((f) => !f.includes(`${path.sep}bench${path.sep}.out`));
    expect(files.length).toBeGreaterThan(20);
    let read = 0;
    let readCrlf = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (agrees(text, path.relative(repo, file))) read++;
      if (agrees(text.replace(/\r?\n/g, '\r\n'), `${path.relative(repo, file)} (CRLF)`)) readCrlf++;
    }
    expect(read).toBeGreaterThan(0);
    expect(readCrlf).toBe(read);
  });

  it('reads the example registry itself, not through the fallback', () => {
    for (const name of ['users', 'policies', 'applications', 'audit_logs', 'registry'])
      expect(parseYamlSubset(readFileSync(path.join(repo, '.kiro/schemas', `${name}.yaml`), 'utf8'), 64)).toBeDefined();
  });

  it('reads a CRLF schema file itself, its diagnostics on the same lines and characters as the LF file', () => {
    const lf = [
      '# orders, saved on Windows',
      'name: orderz',
      'owner: order-service',
      'version: v1',
      'description:',
      'colour: blue',
      'columns:',
      '  - name: id',
      '    type: UUID   # a comment',
      '',
      '  - { name: id, type: UUID, nullable: maybe }',
      'indexes:',
      '  - { name: idx, columns: [missing] }',
      'references:',
      '  - schema: users',
      '    column: id',
      '    foreign_key: nope',
      '',
    ].join('\n');
    const crlf = lf.replaceAll('\n', '\r\n');
    const mixed = lf.replaceAll('\n', (_, at: number) => (at % 2 ? '\r\n' : '\n'));
    const file = '.kiro/schemas/orders.yaml';
    const expected = loadFile(file, lf).diagnostics;
    expect(expected.map((d) => d.code)).toEqual([
      'missing-primary-key',
      'name-mismatch',
      'invalid-field',
      'invalid-field',
      'invalid-field',
      'duplicate-column',
      'invalid-field',
      'index-unknown-column',
      'fk-column-missing',
    ]);
    const at = locate(lf);
    expect(expected.find((d) => d.message.startsWith('Unknown field'))?.range).toEqual(
      at.line('colour').range('colour'),
    );
    expect(expected.find((d) => d.code === 'fk-column-missing')?.range).toEqual(at.line('foreign_key').range('nope'));
    for (const text of [crlf, mixed]) {
      expect(text).toContain('\r\n');
      // Read by the subset (parseYaml takes its reading whenever it gives one), to yaml's own data.
      expect(parseYamlSubset(text, 64)?.data).toStrictEqual(parseYamlSubset(lf, 64)?.data);
      expect(loadFile(file, text).diagnostics).toStrictEqual(expected);
      expect(loadFile(file, text, undefined, 'yaml-only').diagnostics).toStrictEqual(expected);
    }
  });

  it('leaves a lone CR (yaml reads it as part of a scalar, not as a line break) to yaml', () => {
    for (const text of ['name: x\rowner: y\n', 'name: x\r', 'name: x\n\rowner: y\n', 'name: x\r\r\n'])
      expect(parseYamlSubset(text, 64), JSON.stringify(text)).toBeUndefined();
  });

  it('leaves anchors, tags, block scalars, nested flow mappings, tabs and several documents to yaml', () => {
    for (const text of [
      'name: &a x\nowner: *a\n',
      'name: !!str 12\n',
      'description: |\n  text\n',
      'columns:\n  - { name: id, type: { sql: UUID } }\n',
      'name: x\n\towner: y\n',
      'name: x\n---\nname: y\n',
      'name: x\nname: y\n',
      'name: "a\\tb"\n',
      'description: one\n  two\n',
      'version: 1.5\n',
    ])
      expect(parseYamlSubset(text, 64), JSON.stringify(text)).toBeUndefined();
  });

  it('leaves a file nested deeper than the limit to yaml, which reports it', () => {
    const text = 'a:\n  b:\n    c: 1\n';
    expect(parseYamlSubset(text, 3)).toBeDefined();
    expect(parseYamlSubset(text, 2)).toBeUndefined();
    expect(loadFile('.kiro/schemas/a.yaml', text, { maxDepth: 2 }).diagnostics[0]?.code).toBe('yaml-limit');
  });
});
