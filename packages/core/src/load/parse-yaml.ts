import type { CST, Document } from 'yaml';
import { Composer, LineCounter, Parser, YAMLParseError } from 'yaml';
import type { Diagnostic } from '../diagnostic.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Range } from '../position.js';
import type { LoadLimits } from './limits.js';
import { RangeMapper } from './range-mapper.js';
import { parseYamlSubset } from './yaml-subset/parse-yaml-subset.js';
import type { YamlParser, YamlTree } from './yaml-tree.js';

/** A parsed file: its document and plain data, or the diagnostics that stopped it. */
export interface ParsedYaml {
  ranges: RangeMapper;
  doc?: YamlTree;
  /** The document as plain data (what the JSON Schema sees); absent when parsing failed. */
  data?: unknown;
  diagnostics: Diagnostic[];
}

/**
 * Parses with yaml's Document API in its two halves: the concrete syntax tree first (iterative, safe at
 * any depth), then — only when nesting is within limits — the composer, which recurses per level and can
 * take the process down on a deep `[[[[…` bomb. Aliases are counted when the document becomes data.
 * Files written in the schema subset are read by `parseYamlSubset` instead, to the same nodes and ranges.
 */
export function parseYaml(
  file: string,
  text: string,
  limits: LoadLimits,
  parser: YamlParser = 'subset-first',
): ParsedYaml {
  const subset = parser === 'subset-first' ? parseYamlSubset(text, limits.maxDepth) : undefined;
  if (subset) return { ranges: new RangeMapper(subset.lines), doc: subset, data: subset.data, diagnostics: [] };
  const lines = new LineCounter();
  const ranges = new RangeMapper(lines);
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  const tooDeep = findTooDeep(tokens, limits.maxDepth);
  if (tooDeep !== undefined) {
    const message = `Nesting deeper than ${limits.maxDepth} levels`;
    const hint = 'A schema file nests only a few levels: flatten the structure.';
    return {
      ranges,
      diagnostics: [makeDiagnostic('yaml-limit', file, ranges.range(tooDeep, tooDeep + 1), message, { hint })],
    };
  }
  const doc = compose(tokens, text.length);
  if (doc.errors.length > 0) {
    const unclosed = lastUnclosed(tokens);
    const diagnostics = doc.errors.map((error) =>
      makeDiagnostic('yaml-syntax', file, errorRange(text, error, ranges, unclosed), firstLine(error.message), {
        hint: syntaxHint(error.code),
      }),
    );
    return { ranges, doc, diagnostics };
  }
  try {
    return { ranges, doc, data: doc.toJS({ maxAliasCount: limits.maxAliasCount }), diagnostics: [] };
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand too far; anything else is an exhausted resource too.
    const at = firstAliasOffset(tokens) ?? 0;
    const reason = error instanceof Error ? error.message : String(error);
    const message =
      error instanceof ReferenceError
        ? `Aliases expand more than ${limits.maxAliasCount} times (${reason})`
        : `The file could not be read as data (${reason})`;
    const hint = 'Write the values out instead of nesting aliases (*name) of aliases.';
    return {
      ranges,
      doc,
      diagnostics: [makeDiagnostic('yaml-limit', file, ranges.range(at, at + 1), message, { hint })],
    };
  }
}

function compose(tokens: CST.Token[], length: number): Document.Parsed {
  const composer = new Composer({ prettyErrors: false });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) {
      doc = next;
      continue;
    }
    const [start, end] = next.range;
    // Point at the `---` that starts the second document.
    doc.errors.push(
      new YAMLParseError(
        [start, Math.min(end, start + 3)],
        'MULTIPLE_DOCS',
        'The file holds more than one YAML document',
      ),
    );
    break;
  }
  // compose(…, forceDoc = true) always yields at least one document.
  return doc as Document.Parsed;
}

type Walk = { token: CST.Token | undefined; depth: number };

/** The offset of the first collection nested deeper than `max`, walking the syntax tree without recursion. */
function findTooDeep(tokens: CST.Token[], max: number): number | undefined {
  const stack: Walk[] = tokens.map((token) => ({ token, depth: 0 }));
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { token, depth } = next;
    if (!token) continue;
    if (token.type === 'document') {
      stack.push({ token: token.value, depth });
      continue;
    }
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > max) return token.offset;
    for (const item of token.items) {
      if ('key' in item) stack.push({ token: item.key ?? undefined, depth: depth + 1 });
      stack.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Where the last `[`/`{` and the last quote that are never closed start. */
interface Unclosed {
  flow?: number;
  quote?: number;
}

function lastUnclosed(tokens: CST.Token[]): Unclosed {
  const stack: (CST.Token | null | undefined)[] = [...tokens];
  const found: Unclosed = {};
  while (stack.length > 0) {
    const token = stack.pop();
    if (!token) continue;
    if (
      token.type === 'flow-collection' &&
      !token.end.some((t) => t.type === 'flow-seq-end' || t.type === 'flow-map-end')
    )
      found.flow = Math.max(found.flow ?? token.offset, token.offset);
    if (
      (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') &&
      !isClosedQuote(token.source)
    )
      found.quote = Math.max(found.quote ?? token.offset, token.offset);
    if (token.type === 'document') stack.push(token.value);
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection')
      for (const item of token.items) stack.push(item.value, 'key' in item ? item.key : undefined);
  }
  return found;
}

function isClosedQuote(source: string): boolean {
  const quote = source[0];
  if (source.length < 2 || source[source.length - 1] !== quote) return false;
  if (quote === "'") return true;
  // A closing `"` preceded by an odd number of backslashes is escaped, not closing.
  const backslashes = /\\*$/.exec(source.slice(0, -1))?.[0].length ?? 0;
  return backslashes % 2 === 0;
}

/** The offset of the first alias in the file (the walk order is not document order: take the least). */
function firstAliasOffset(tokens: CST.Token[]): number | undefined {
  const stack: (CST.Token | null | undefined)[] = [...tokens];
  let first: number | undefined;
  while (stack.length > 0) {
    const token = stack.pop();
    if (!token) continue;
    if (token.type === 'alias') first = Math.min(first ?? token.offset, token.offset);
    if (token.type === 'document') stack.push(token.value);
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection')
      for (const item of token.items) stack.push(item.value, 'key' in item ? item.key : undefined);
  }
  return first;
}

/**
 * yaml marks some errors with one character; widen those to the word there (a duplicate key, say). A
 * bracket left open is reported where the file ends: point at the bracket instead.
 */
function errorRange(text: string, error: YAMLParseError, ranges: RangeMapper, unclosed: Unclosed): Range {
  const [start, end] = error.pos;
  if (unclosed.flow !== undefined && unclosed.flow < start && /end with a [\]}]/.test(error.message))
    return ranges.range(unclosed.flow, unclosed.flow + 1);
  if (unclosed.quote !== undefined && unclosed.quote <= start && /Missing closing .?quote/.test(error.message))
    return ranges.range(unclosed.quote, unclosed.quote + 1);
  if (end - start > 1) return ranges.range(start, end);
  const word = /[^\s:,[\]{}#]+/y;
  word.lastIndex = start;
  return word.exec(text) ? ranges.range(start, word.lastIndex) : ranges.range(start, end);
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function syntaxHint(code: string): string {
  if (code === 'DUPLICATE_KEY') return 'Remove one of the two keys or rename it.';
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR')
    return 'Check the indentation and closing brackets or quotes on this line.';
  if (code === 'MULTIPLE_DOCS')
    return 'Keep one schema per file: remove the `---` separator and what follows, or move it to its own file.';
  if (code === 'TAB_AS_INDENT') return 'Indent with spaces, not tabs.';
  return 'Fix the YAML syntax here; the rest of the file is checked once it parses.';
}
