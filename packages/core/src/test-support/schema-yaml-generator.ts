import type { Random } from '../../../../test/helpers/random.js';

/** How one generated file is laid out: the choices real schema files differ in. */
interface Style {
  /** Spaces per nesting level. */
  indent: number;
  /** `- ` under its key indented (`  - name: id`) or flush with the key (`- name: id`). */
  flushSequences: boolean;
  comments: number;
  blankLines: number;
  /** How often a list item is a one-line flow mapping (`- { name: id, type: UUID }`), as in SPEC's examples. */
  flowItems: number;
  /** Whether values and layouts outside the subset (numbers yaml reads as floats, anchors, bad indents …) appear. */
  exotic: boolean;
}

const WORDS = ['id', 'user_id', 'users', 'title', 'amount', 'created_at', 'policy', 'a', 'x_1', 'Name'];
// Values the subset reads itself …
const SCALARS = [
  'UUID',
  'VARCHAR(200)',
  'DECIMAL(15,2)',
  'TIMESTAMP',
  'CURRENT_TIMESTAMP',
  '1.0.0',
  '2.10.3',
  '2024-03-01',
  'true',
  'false',
  'True',
  'FALSE',
  'null',
  '~',
  'NULL',
  '0',
  '42',
  '007',
  'Generated table 12',
  'PENDING, APPROVED or CANCELLED',
  'a:b',
  'http://example.com/x',
  'semi; colon',
  'émoji-free ünïcode',
  'it has # inside',
  "'PENDING'",
  '"quoted"',
  "'it''s'",
  "''",
  '""',
  'x [y] {z}',
  '[created_at]',
  '[a, b]',
  '[ a , b ]',
  '[]',
];
// … and values it leaves to yaml.
const EXOTIC = [
  '123456789012345678',
  '1.5',
  '-3',
  '+4',
  '.5',
  '1e3',
  '0x1F',
  '0o17',
  '.inf',
  '-.Inf',
  '.nan',
  'ends with colon:',
  'key: value',
  '"a\\"b"',
  '"tab\\t"',
  '[a,]',
  '[a: b]',
  '{a: b}',
  '&anchor value',
  '*alias',
  '!!str 12',
  '|',
  '>-',
  '- item',
  '@at',
  '`tick`',
  '%pct',
  '?q',
];
const KEYS = ['name', 'type', 'nullable', 'primary_key', 'unique', 'default', 'description', 'renamed_from'];
const TOP_KEYS = ['name', 'owner', 'version', 'description', 'renamed_from', 'extra_field'];

/**
 * A schema-like YAML file: top-level fields, lists of column / reference / index mappings, comments and
 * blank lines in every position, values from plain words to things only full YAML reads.
 */
export function generateSchemaYaml(random: Random): string {
  const style: Style = {
    indent: random.pick([2, 2, 2, 4, 3]),
    flushSequences: random.chance(0.2),
    comments: random.pick([0, 0.05, 0.2, 0.5]),
    blankLines: random.pick([0, 0.1, 0.3]),
    exotic: random.chance(0.4),
    flowItems: random.pick([0, 0, 0.5, 1]),
  };
  const lines: string[] = [];
  const emit = (level: number, text: string): void => {
    decorate(random, style, lines, level);
    lines.push(`${' '.repeat(level)}${text}${random.chance(style.comments / 2) ? `${spaces(random)}# note` : ''}`);
  };
  for (const key of TOP_KEYS) if (random.chance(0.8)) emit(0, `${key}:${value(random, style)}`);
  for (const list of ['columns', 'references', 'indexes']) if (random.chance(0.85)) sequence(random, style, emit, list);
  if (random.chance(0.2)) emit(0, `version_history: ${random.pick(['[]', '[a, b]'])}`);
  decorate(random, style, lines, 0);
  return `${lines.join('\n')}${random.chance(0.9) ? '\n' : ''}`;
}

function sequence(random: Random, style: Style, emit: (level: number, text: string) => void, key: string): void {
  emit(0, `${key}:${random.chance(0.1) ? value(random, style) : ''}`);
  const dash = style.flushSequences ? 0 : style.indent;
  for (let item = random.int(0, 4); item > 0; item--) {
    const keys = KEYS.filter(() => random.chance(0.6));
    const inner = dash + 2;
    const first = keys.shift() ?? 'name';
    const spread = random.chance(0.8) ? 1 : 3;
    if (random.chance(style.flowItems)) {
      emit(dash, `-${' '.repeat(spread)}${flowMapping(random, style, [first, ...keys])}`);
      continue;
    }
    if (style.exotic && random.chance(0.1)) {
      emit(dash, '-');
      emit(inner, `${first}:${value(random, style)}`);
    } else {
      emit(dash, `-${' '.repeat(spread)}${first}:${value(random, style)}`);
    }
    const at = dash + 1 + spread;
    for (const k of keys) emit(style.exotic && random.chance(0.1) ? at + 1 : at, `${k}:${value(random, style)}`);
    if (random.chance(0.15)) emit(at, `columns: [${WORDS.filter(() => random.chance(0.3)).join(', ')}]`);
  }
}

/** `{ key: value, … }` with varied spacing; values scalars or flow sequences (and, exotic, nested mappings). */
function flowMapping(random: Random, style: Style, keys: string[]): string {
  const gap = (): string => (random.chance(0.8) ? ' ' : random.pick(['', '  ']));
  const pairs = keys.map((key) => {
    const roll = random.next();
    const inner =
      roll < 0.15
        ? `[${WORDS.filter(() => random.chance(0.4)).join(`,${gap()}`)}]`
        : roll < 0.2 && style.exotic
          ? '{ a: b }'
          : value(random, style).trim() || (style.exotic ? '' : 'x');
    return `${key}:${random.chance(0.95) ? ' ' : ''}${inner}${random.chance(0.1) ? ' ' : ''}`;
  });
  return `{${gap()}${pairs.join(`,${gap()}`)}${gap()}}`;
}

/** ` value`, mostly a plain word; sometimes nothing (an empty value) or extra spaces. */
function value(random: Random, style: Style): string {
  if (random.chance(0.07)) return random.chance(0.5) ? '' : '   ';
  const pool = style.exotic && random.chance(0.3) ? EXOTIC : SCALARS;
  const text = random.chance(0.5) ? random.pick(WORDS) : random.pick(pool);
  return `${random.chance(0.9) ? ' ' : '   '}${text}${random.chance(0.1) ? '  ' : ''}`;
}

/** Blank lines and whole-line comments at any indent before the next line. */
function decorate(random: Random, style: Style, lines: string[], level: number): void {
  if (random.chance(style.blankLines)) lines.push(random.chance(0.7) ? '' : ' '.repeat(random.int(1, 6)));
  if (random.chance(style.comments)) {
    const indent = random.pick([0, level, level + 1, level + 2, Math.max(0, level - 1), random.int(0, 9)]);
    lines.push(`${' '.repeat(indent)}#${random.chance(0.8) ? ' a comment' : ''}`);
  }
}

const spaces = (random: Random): string => ' '.repeat(random.int(1, 3));

/**
 * The file's line breaks as editors on Windows write them: mostly left `\n`, a third `\r\n` throughout, one
 * in ten mixed line by line (a file edited on both).
 */
export function withLineEndings(random: Random, text: string): string {
  const roll = random.next();
  if (roll < 0.55) return text;
  if (roll < 0.9) return text.replaceAll('\n', '\r\n');
  return text.replaceAll('\n', () => (random.chance(0.5) ? '\r\n' : '\n'));
}

const HOSTILE = [
  '\t',
  '\r',
  '\r\n',
  '&a ',
  '*a',
  '!!str ',
  '|\n',
  '>',
  '---\n',
  '...\n',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ': ',
  '#',
  ' #',
  '"',
  "'",
  '\\',
  '- ',
  '-',
  '\n',
  ' ',
  '   ',
  '%',
  '?',
  'é',
  '😀',
  '\ufeff',
  '\u0085',
  '\u2028',
  '\u0000',
  '__proto__: x\n',
  'name: dup\n',
  '<<: *a\n',
];

/** The text with one to three hostile edits: insertions, deletions, re-indented, doubled or cut lines. */
export function mutate(random: Random, text: string): string {
  let out = text;
  for (let edits = random.int(1, 3); edits > 0; edits--) {
    const at = random.int(0, out.length);
    const kind = random.int(0, 5);
    if (kind <= 1) out = out.slice(0, at) + random.pick(HOSTILE) + out.slice(at);
    else if (kind === 2) out = out.slice(0, at) + out.slice(at + random.int(1, 5));
    else if (kind === 3) out = out.slice(0, random.int(0, out.length));
    else out = editLine(random, out, kind === 4);
  }
  return out;
}

function editLine(random: Random, text: string, reindent: boolean): string {
  const lines = text.split('\n');
  const i = random.int(0, lines.length - 1);
  const line = lines[i] ?? '';
  if (reindent) {
    const shift = random.int(-3, 3);
    lines[i] = shift >= 0 ? ' '.repeat(shift) + line : line.replace(new RegExp(`^ {0,${-shift}}`), '');
  } else {
    lines.splice(i, 0, line);
  }
  return lines.join('\n');
}
