import type { Diagnostic } from '../diagnostic.js';
import { jsonSchemaDiagnostics } from '../json-schema/json-schema-diagnostics.js';
import { localChecks } from '../checks/local-checks.js';
import { makeDiagnostic, sortDiagnostics } from '../make-diagnostic.js';
import type { LoadedFile, RegistryMetadata } from '../model.js';
import type { Range } from '../position.js';
import { decodeText } from './decode-text.js';
import { isMetadataFile } from './file-names.js';
import type { LoadLimits } from './limits.js';
import { resolveLimits } from './limits.js';
import { buildSchema } from './build-schema.js';
import { parseYaml } from './parse-yaml.js';
import { pairsByKey, scalarOf } from './yaml-nodes.js';
import type { YamlParser } from './yaml-tree.js';

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const SKELETON = 'Start with `name: <file name>`, `owner: <service>`, `version: 1.0.0` and a `columns:` list.';

/**
 * Loads one file, purely and synchronously: size limit, UTF-8, YAML (positions kept), JSON Schema and every
 * check the file decides alone. Returns the compact model (no yaml Document kept) and its diagnostics,
 * sorted by position. Never throws on bad input: every problem becomes a diagnostic. `parser` says which
 * YAML parser reads it (the same nodes and ranges either way; see `YamlParser`).
 */
export function loadFile(
  file: string,
  content: Uint8Array | string,
  limits?: Partial<LoadLimits>,
  parser?: YamlParser,
): LoadedFile {
  const metadata = isMetadataFile(file);
  const kind = metadata ? 'metadata' : 'schema';
  const bounds = resolveLimits(limits);
  const early = checkBytes(file, content, bounds, metadata);
  if (early.diagnostics) return { file, kind, diagnostics: early.diagnostics };
  const parsed = parseYaml(file, early.text, bounds, parser);
  if (!parsed.doc || parsed.data === undefined) return { file, kind, diagnostics: parsed.diagnostics };
  if (metadata) {
    const diagnostics =
      parsed.data === null ? [] : jsonSchemaDiagnostics(file, parsed.doc, parsed.data, parsed.ranges, true);
    return {
      file,
      kind,
      metadata: buildMetadata(file, parsed.doc.contents),
      diagnostics: sortDiagnostics(diagnostics),
    };
  }
  if (parsed.data === null) return { file, kind, diagnostics: [emptyFile(file)] };
  const diagnostics = jsonSchemaDiagnostics(file, parsed.doc, parsed.data, parsed.ranges, false);
  const schema = buildSchema(file, parsed.doc, parsed.ranges);
  if (schema) diagnostics.push(...localChecks(schema));
  return { file, kind, ...(schema ? { schema } : {}), diagnostics: sortDiagnostics(diagnostics) };
}

type Checked = { text: string; diagnostics?: undefined } | { text?: undefined; diagnostics: Diagnostic[] };

/** What can be decided before parsing: size, encoding, emptiness. */
function checkBytes(file: string, content: Uint8Array | string, limits: LoadLimits, metadata: boolean): Checked {
  if (content.length > limits.maxBytes) {
    const size = `${(content.length / 1024 / 1024).toFixed(1)} MiB`;
    const message = `The file is ${size}, over the ${(limits.maxBytes / 1024 / 1024).toFixed(0)} MiB limit; it was not parsed`;
    return {
      diagnostics: [
        makeDiagnostic('yaml-limit', file, START, message, {
          hint: 'A schema file describes one table: split it, or remove generated content.',
        }),
      ],
    };
  }
  const decoded = decodeText(content);
  if (!decoded.ok) {
    const hex = decoded.byte.toString(16).toUpperCase().padStart(2, '0');
    const message = `The file is not valid UTF-8 (byte 0x${hex})`;
    const range = positionRange(content, decoded.offset);
    return { diagnostics: [makeDiagnostic('yaml-syntax', file, range, message, { hint: 'Save the file as UTF-8.' })] };
  }
  if (!metadata && decoded.text.trim() === '') return { diagnostics: [emptyFile(file)] };
  return { text: decoded.text };
}

function emptyFile(file: string): Diagnostic {
  return makeDiagnostic('invalid-field', file, START, 'The schema file is empty', { hint: SKELETON });
}

/** The position of an offset in the leniently decoded text, for pointing at undecodable bytes. */
function positionRange(content: Uint8Array | string, offset: number): Range {
  const text = typeof content === 'string' ? content : new TextDecoder().decode(content);
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + 1 } };
}

function buildMetadata(file: string, contents: unknown): RegistryMetadata {
  const pairs = pairsByKey(contents);
  const metadata: RegistryMetadata = { file };
  for (const key of ['name', 'description', 'version'] as const) {
    const value = scalarOf(pairs.get(key)?.value, 'string');
    if (value !== undefined) metadata[key] = value;
  }
  return metadata;
}
