import { describe, expect, it } from 'vitest';
import { renderDocs } from '../render/render-docs.js';
import { renderErd } from '../render/render-erd.js';
import { exampleFiles } from '../test-support/fixtures.js';
import { validateRegistry } from '../validate/validate-registry.js';
import { buildRegistry } from './build-registry.js';
import { loadFile } from './load-file.js';

/** A small deterministic PRNG, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = [
  '',
  ' ',
  '\n',
  '-',
  ':',
  '[',
  ']',
  '{',
  '}',
  '&a',
  '*a',
  '"',
  "'",
  '#',
  '\t',
  '? ',
  '!!map',
  '__proto__: 1',
  '\u00ff',
  'x: [1, {y: 2}]',
];

describe('robustness: mangled schema files never throw', () => {
  it('truncated and mutated copies of the example registry all load, validate and render', () => {
    const next = random(42);
    const originals = Object.entries(exampleFiles());
    let loaded = 0;
    for (let round = 0; round < 150; round++) {
      const files = originals.map(([path, text]) => {
        const cut = Math.floor(next() * text.length);
        const mode = round % 3;
        const noise = NOISE[Math.floor(next() * NOISE.length)] ?? '';
        const mangled =
          mode === 0
            ? text.slice(0, cut)
            : mode === 1
              ? text.slice(0, cut) + noise + text.slice(cut)
              : text.slice(0, cut) + text.slice(cut + 1 + Math.floor(next() * 40));
        return loadFile(path, mangled);
      });
      const registry = buildRegistry(files);
      const diagnostics = validateRegistry(registry);
      expect(diagnostics.size).toBe(files.length);
      for (const list of diagnostics.values()) {
        for (const d of list) {
          expect(d.range.start.line).toBeGreaterThanOrEqual(0);
          expect(d.range.end.line * 1e6 + d.range.end.character).toBeGreaterThanOrEqual(
            d.range.start.line * 1e6 + d.range.start.character,
          );
          expect(d.message.length).toBeGreaterThan(0);
        }
      }
      renderErd(registry);
      renderDocs(registry);
      loaded += files.length;
    }
    expect(loaded).toBe(150 * originals.length);
  });

  it('random bytes load as diagnostics, not exceptions', () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const bytes = Uint8Array.from({ length: Math.floor(next() * 400) }, () => Math.floor(next() * 256));
      const file = loadFile(`s/random-${round}.yaml`, bytes);
      expect(Array.isArray(file.diagnostics)).toBe(true);
    }
  });
});
