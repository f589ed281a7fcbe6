import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { locate } from '../../../../test/helpers/locate.js';
import { memoryFileSource } from '../file-source.js';
import { fixtureDir } from '../test-support/fixtures.js';
import { validateRegistry } from '../validate/validate-registry.js';
import { loadFile } from './load-file.js';
import { loadRegistry } from './load-registry.js';

const brief = (file: ReturnType<typeof loadFile>) =>
  file.diagnostics.map(({ code, message, range }) => ({ code, message, range }));

describe('load limits: bad input never throws', () => {
  it('stops a billion-laughs file at the alias limit', () => {
    const text = readFileSync(`${fixtureDir('limits')}laughs.yaml`, 'utf8');
    const file = loadFile('.kiro/schemas/laughs.yaml', text);
    expect(brief(file)).toEqual([
      {
        code: 'yaml-limit',
        message: 'Aliases expand more than 100 times (Excessive alias count indicates a resource exhaustion attack)',
        range: locate(text).line('a1: &a1').range('*'),
      },
    ]);
    expect(file.schema).toBeUndefined();
  });

  it('honours a lower alias limit and accepts a few aliases under it', () => {
    const text =
      'name: a\nowner: x\nversion: 1.0.0\ncolumns:\n  - &id { name: id, type: UUID, primary_key: true }\nx: [*id, *id]\n';
    expect(loadFile('s/a.yaml', text, { maxAliasCount: 1 }).diagnostics.map((d) => d.code)).toEqual(['yaml-limit']);
    expect(loadFile('s/a.yaml', text).diagnostics.map((d) => d.message)).toEqual(['Unknown field "x" in the schema']);
  });

  it('stops deep nesting before the recursive composer sees it', () => {
    const text = readFileSync(`${fixtureDir('limits')}deep.yaml`, 'utf8');
    const file = loadFile('.kiro/schemas/deep.yaml', text);
    const deepest = locate(text)
      .line('columns: [')
      .after('columns: ' + '['.repeat(63));
    expect(brief(file)).toEqual([
      {
        code: 'yaml-limit',
        message: 'Nesting deeper than 64 levels',
        range: { start: deepest, end: { ...deepest, character: deepest.character + 1 } },
      },
    ]);
  });

  it('survives a 20,000-deep flow bomb that crashes yaml.parseDocument', () => {
    const text = `name: bomb\ncolumns: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    expect(loadFile('s/bomb.yaml', text).diagnostics.map((d) => d.code)).toEqual(['yaml-limit']);
  });

  it('refuses a 50 MB file before parsing it', () => {
    const row = '  - { name: c, type: TEXT }\n';
    const bytes = new TextEncoder().encode(
      'name: big\nowner: x\nversion: 1.0.0\ncolumns:\n' + row.repeat(Math.ceil((50 * 1024 * 1024) / row.length)),
    );
    const started = performance.now();
    const file = loadFile('s/big.yaml', bytes);
    expect(brief(file)).toEqual([
      {
        code: 'yaml-limit',
        message: 'The file is 50.0 MiB, over the 10 MiB limit; it was not parsed',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    ]);
    // Refused on its size alone: far quicker than parsing 50 MB would be.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(loadFile('s/big.yaml', 'name: big\n', { maxBytes: 4 }).diagnostics[0]?.code).toBe('yaml-limit');
  });

  it('gives an empty registry for a folder without schema files', async () => {
    const registry = await loadRegistry(
      memoryFileSource({ 'schemas/README.md': '# nothing here', 'schemas/notes.txt': 'x' }),
    );
    expect(registry.files.size).toBe(0);
    expect(registry.schemas.size).toBe(0);
    expect(validateRegistry(registry).size).toBe(0);
    expect((await loadRegistry(memoryFileSource({}))).files.size).toBe(0);
  });
});
