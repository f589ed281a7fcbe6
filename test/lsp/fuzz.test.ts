import type { DocumentSymbol, Hover, Position, Range } from 'vscode-languageserver-protocol';
import { afterEach, expect, test } from 'vitest';
import { lspWorkspace } from './lsp-workspace.js';
import type { LspWorkspace } from './lsp-workspace.js';
import { positionAt } from './text-position.js';

/** A small seeded PRNG (mulberry32): a failing run can be replayed from the printed seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GARBAGE = [
  '{',
  '}',
  '[',
  ']',
  ':',
  '- ',
  '&a ',
  '*a',
  '!!binary ',
  '"',
  "'",
  '\t',
  '\u0000',
  '\uFFFF',
  '😀',
  '\r',
  '%YAML 1.2\n',
  '---\n',
  '? ',
  '|',
  '>-',
  '#',
  '<<: *a',
];

const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
].join('\n');

const flatten = (symbols: DocumentSymbol[]): DocumentSymbol[] =>
  symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character <= b.character);
const within = (inner: Range, outer: Range): boolean =>
  before(outer.start, inner.start) && before(inner.end, outer.end);

let ws: LspWorkspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

test('thousands of random edits (truncations, garbage, deleted lines, huge lines, alias bombs) never crash or hang the server', async () => {
  const seed = Number(process.env.AEGIS_FUZZ_SEED ?? Date.now() % 100_000);
  const next = random(seed);
  console.log(`fuzz seed ${seed} (replay: AEGIS_FUZZ_SEED=${seed})`);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const w = await lspWorkspace();
  ws = w;
  const files = ['.kiro/schemas/users.yaml', '.kiro/schemas/applications.yaml', '.kiro/schemas/policies.yaml'];
  const texts = new Map(files.map((f) => [f, w.text(f)]));
  const versions = new Map(files.map((f) => [f, 1]));
  for (const f of files) await w.client.open(w.uri(f), texts.get(f) ?? '');

  const mutate = (text: string): string => {
    const lines = text.split('\n');
    const offset = Math.floor(next() * (text.length + 1));
    switch (Math.floor(next() * 8)) {
      case 7:
        return `${text}\n${BOMB}`; // alias expansion beyond the limits (billion laughs)
      case 0:
        return text.slice(0, offset); // truncation
      case 1:
        return text.slice(0, offset) + pick(GARBAGE) + text.slice(offset); // garbage
      case 2:
        lines.splice(Math.floor(next() * lines.length), 1 + Math.floor(next() * 3));
        return lines.join('\n'); // deleted lines
      case 3:
        return `${text.slice(0, offset)}${'x'.repeat(20_000 + Math.floor(next() * 80_000))}${text.slice(offset)}`; // huge line
      case 4:
        lines.splice(Math.floor(next() * lines.length), 0, pick(lines));
        return lines.join('\n'); // duplicated line
      case 5:
        return text.slice(0, offset) + text.slice(offset + Math.floor(next() * 40)); // deleted span
      default:
        return w.text(pick(files)); // back to a valid file (sometimes another file's text)
    }
  };

  const EDITS = 3000;
  for (let i = 0; i < EDITS; i++) {
    const file = pick(files);
    const uri = w.uri(file);
    const text = mutate(texts.get(file) ?? '');
    texts.set(file, text.length > 400_000 ? w.text(file) : text);
    const version = (versions.get(file) ?? 0) + 1;
    versions.set(file, version);
    await w.client.change(uri, version, texts.get(file) ?? '');
    if (i % 50 === 49) {
      // Requests queue behind the edits, so an answer proves every edit so far was handled.
      const current = texts.get(file) ?? '';
      const position = positionAt(current, Math.floor(next() * current.length));
      const answers = await Promise.all([
        w.client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }),
        w.client.request<unknown[]>('textDocument/completion', { textDocument: { uri }, position }),
        w.client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }),
        w.client.request<unknown[]>('textDocument/definition', { textDocument: { uri }, position }),
      ]);
      expect(Array.isArray(answers[2]), `seed ${seed}, edit ${i}`).toBe(true);
      for (const symbol of flatten(answers[2]))
        expect(within(symbol.selectionRange, symbol.range), `seed ${seed}, edit ${i}`).toBe(true);
    }
  }
  // Restore every file: the server ends with the clean registry, so nothing was left stale.
  const clean = files.map((f) => w.client.nextDiagnostics(w.uri(f), (d) => d.length === 0, 30_000));
  for (const f of files) await w.client.change(w.uri(f), (versions.get(f) ?? 0) + 1, w.text(f));
  await Promise.all(clean);
  const { mermaid } = await w.client.request<{ mermaid: string }>('aegis/erd', {});
  expect(mermaid).toContain('applications');
  expect(w.client.process.exitCode, `seed ${seed}`).toBeNull();
  expect(w.client.stderr.join(''), `seed ${seed}`).not.toMatch(/aegis-language-server: /);
}, 90_000);
