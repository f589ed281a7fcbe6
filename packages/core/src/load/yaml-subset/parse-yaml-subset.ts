import { LineCounter } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import { skipSpaces } from './inline-scalar.js';
import type { InlineValue } from './inline-value.js';
import { inlineValue } from './inline-value.js';
import type { Built } from './subset-built.js';
import { flowMap, flowSeq, outside, OUTSIDE_SUBSET, RESERVED_KEYS, scalar } from './subset-built.js';
import type { SubsetLine } from './subset-lines.js';
import { subsetLines } from './subset-lines.js';
import { mapNode, pairNode, seqNode } from './subset-nodes.js';

type NodeRange = [number, number, number];

/** What `parseYamlSubset` gives: the same nodes, ranges and data yaml's Document API gives for the file. */
export interface SubsetDocument {
  contents: YAMLMap<Scalar<string>, unknown>;
  range: NodeRange;
  /** The document as plain data (`doc.toJS()`). */
  data: Record<string, unknown>;
  lines: LineCounter;
}

/**
 * Reads the YAML that schema files are written in — a block mapping at column 0 holding block mappings and
 * sequences, one-line plain or quoted scalars, one-line flow sequences of plain scalars, comments — and
 * builds what yaml's `Composer` would: the same node kinds, values and `[start, valueEnd, nodeEnd]` ranges,
 * including where yaml attaches comment lines. Returns undefined the moment the text holds anything else
 * (anchors, tags, block scalars, flow mappings, escapes, multi-line scalars, tabs, several documents, odd
 * indentation, duplicate keys, any syntax error …): the caller then parses with yaml itself, so every file
 * gets yaml's reading either way, this one about ten times sooner.
 */
export function parseYamlSubset(text: string, maxDepth: number): SubsetDocument | undefined {
  const lines = subsetLines(text);
  if (!lines) return undefined;
  try {
    return new SubsetParser(text, lines, maxDepth).document();
  } catch (error) {
    if (error === OUTSIDE_SUBSET) return undefined;
    throw error;
  }
}

class SubsetParser {
  /** The next line not yet read. */
  #next = 0;
  /** Whether the last value read was empty: yaml then keeps the file's last line breaks in its pair. */
  #endsEmpty = false;

  constructor(
    private readonly text: string,
    private readonly lines: SubsetLine[],
    private readonly maxDepth: number,
  ) {}

  document(): SubsetDocument {
    const first = this.contentLine(0);
    const line = this.lines[first];
    if (!line || line.indent !== 0) outside();
    const built = this.mapping(first, line.content, 1);
    if (this.contentLine(this.#next) < this.lines.length) outside();
    const contents = built.node as YAMLMap<Scalar<string>, unknown>;
    const range = contents.range as NodeRange;
    return {
      contents,
      range: [range[0], range[2], this.#endsEmpty ? range[2] : this.text.length],
      data: built.data as Record<string, unknown>,
      lines: this.lineCounter(),
    };
  }

  /** A block mapping whose first key starts at `keyAt` on line `at`; its indent is that key's column. */
  mapping(at: number, keyAt: number, depth: number): Built {
    if (depth > this.maxDepth) outside();
    const indent = keyAt - this.lineAt(at).content + this.lineAt(at).indent;
    const map = mapNode<Scalar<string>, unknown>([]);
    const data: Record<string, unknown> = {};
    let line = at;
    let key = keyAt;
    let valueEnd = keyAt;
    for (;;) {
      const pair = this.pair(line, key, indent, depth);
      if (Object.hasOwn(data, pair.key.value)) outside();
      data[pair.key.value] = pair.value.data;
      map.items.push(pairNode<Scalar<string>, unknown>(pair.key, pair.value.node));
      valueEnd = (pair.value.node.range as NodeRange)[2];
      const next = this.contentLine(this.#next);
      const nextLine = this.lines[next];
      if (!nextLine || nextLine.indent < indent) return this.close({ node: map, data }, keyAt, valueEnd, indent);
      if (nextLine.indent > indent || this.keyEnd(nextLine.content, nextLine.end) === undefined) outside();
      line = next;
      key = nextLine.content;
    }
  }

  /** One `key: value` pair; the value may be inline, a nested block, or empty. */
  pair(at: number, keyAt: number, indent: number, depth: number): { key: Scalar<string>; value: Built } {
    const line = this.lineAt(at);
    const keyEnd = this.keyEnd(keyAt, line.end) ?? outside();
    const name = this.text.slice(keyAt, keyEnd);
    if (RESERVED_KEYS.has(name)) outside();
    const key = scalar(name, keyAt, keyEnd, keyEnd);
    const valueAt = skipSpaces(this.text, keyEnd + 1, line.end);
    if (valueAt < line.end && this.text[valueAt] !== '#') {
      const inline = inlineValue(this.text, valueAt, line.end) ?? outside();
      return { key, value: this.inline(inline, at, indent, depth) };
    }
    this.#next = at + 1;
    const next = this.contentLine(this.#next);
    const nextLine = this.lines[next];
    if (nextLine && nextLine.indent > indent) return { key, value: this.block(next, depth + 1) };
    if (nextLine && nextLine.indent === indent && this.isSequenceItem(nextLine))
      return { key, value: this.sequence(next, depth + 1) };
    // An empty value: yaml places it after the `:` and the spaces that follow. A comment here would join
    // its range, as yaml reads it; the subset leaves that to yaml.
    if (valueAt < line.end || this.hasComment(at + 1, next)) outside();
    this.#endsEmpty = true;
    return { key, value: { node: scalar(null, valueAt, valueAt, valueAt), data: null } };
  }

  /** A nested block collection starting on line `at`. */
  block(at: number, depth: number): Built {
    const line = this.lineAt(at);
    if (this.isSequenceItem(line)) return this.sequence(at, depth);
    if (this.keyEnd(line.content, line.end) === undefined) outside();
    return this.mapping(at, line.content, depth);
  }

  /** A block sequence whose first `- ` is on line `at`. */
  sequence(at: number, depth: number): Built {
    if (depth > this.maxDepth) outside();
    const seq = seqNode([]);
    const data: unknown[] = [];
    const { indent, content: start } = this.lineAt(at);
    let line = at;
    let valueEnd = start;
    for (;;) {
      const item = this.sequenceItem(line, indent, depth);
      seq.items.push(item.node);
      data.push(item.data);
      valueEnd = (item.node.range as NodeRange)[2];
      const next = this.contentLine(this.#next);
      const nextLine = this.lines[next];
      if (!nextLine || nextLine.indent < indent || (nextLine.indent === indent && !this.isSequenceItem(nextLine)))
        return this.close({ node: seq, data }, start, valueEnd, indent);
      if (nextLine.indent > indent) outside();
      line = next;
    }
  }

  sequenceItem(at: number, indent: number, depth: number): Built {
    const line = this.lineAt(at);
    const valueAt = skipSpaces(this.text, line.content + 1, line.end);
    if (valueAt === line.end || this.text[valueAt] === '#') outside();
    if (this.keyEnd(valueAt, line.end) !== undefined) return this.mapping(at, valueAt, depth + 1);
    const inline = inlineValue(this.text, valueAt, line.end) ?? outside();
    return this.inline(inline, at, indent, depth);
  }

  /** A value written on line `at`, held by a collection indented `indent`. */
  inline(value: InlineValue, at: number, indent: number, depth: number): Built {
    this.#endsEmpty = false;
    const nodeEnd = this.lineEnd(at, indent);
    if (value.kind === 'scalar')
      return { node: scalar(value.value, value.start, value.end, nodeEnd), data: value.value };
    if (depth + 1 > this.maxDepth) outside();
    return value.kind === 'sequence' ? flowSeq(value, nodeEnd) : flowMap(value, nodeEnd, depth + 1, this.maxDepth);
  }

  /**
   * Where a value's tokens end: the rest of its line with the line break, and — as yaml's parser does — any
   * comment lines after it indented deeper than the collection holding it (with the blank lines between).
   */
  lineEnd(at: number, indent: number): number {
    let end = this.lineAt(at).next;
    this.#next = at + 1;
    for (let i = at + 1; i < this.lines.length; i++) {
      const line = this.lineAt(i);
      if (line.kind === 'content' || (line.kind === 'comment' && line.indent <= indent)) break;
      if (line.kind === 'comment') {
        end = line.next;
        this.#next = i + 1;
      }
    }
    return end;
  }

  /**
   * Sets a finished collection's range. Comment lines after its last item stay with it — extending its node
   * end up to the next content — when one of them is indented at least as deep as it (yaml's `Parser.pop`);
   * otherwise they move to its parent. A collection at column 0 never keeps them.
   */
  close(built: Built, start: number, valueEnd: number, indent: number): Built {
    const next = this.contentLine(this.#next);
    const boundary = this.lines[next]?.content ?? this.text.length;
    const keeps = indent !== 0 && this.hasComment(this.#next, next, indent);
    built.node.range = [start, valueEnd, keeps ? boundary : valueEnd];
    return built;
  }

  /** The end of a `key:` written at `at` (an identifier followed by `:` and a space or the line's end). */
  keyEnd(at: number, lineEnd: number): number | undefined {
    let i = at;
    const first = this.text.charCodeAt(i);
    if (!isKeyStart(first)) return undefined;
    while (i < lineEnd && isKeyPart(this.text.charCodeAt(i))) i++;
    if (this.text.charCodeAt(i) !== 0x3a) return undefined;
    return i + 1 === lineEnd || this.text.charCodeAt(i + 1) === 0x20 ? i : undefined;
  }

  isSequenceItem(line: SubsetLine): boolean {
    return this.text[line.content] === '-' && (line.content + 1 === line.end || this.text[line.content + 1] === ' ');
  }

  /** Whether lines `from` up to `to` hold a comment indented at least `indent`. */
  hasComment(from: number, to: number, indent = 0): boolean {
    for (let i = from; i < to; i++) {
      const line = this.lineAt(i);
      if (line.kind === 'comment' && line.indent >= indent) return true;
    }
    return false;
  }

  /** The first content line at or after `from` (the number of lines when there is none). */
  contentLine(from: number): number {
    let i = from;
    while (i < this.lines.length && this.lineAt(i).kind !== 'content') i++;
    return i;
  }

  lineAt(i: number): SubsetLine {
    return this.lines[i] ?? outside();
  }

  /** The line starts yaml's `LineCounter` would have noted. */
  lineCounter(): LineCounter {
    const counter = new LineCounter();
    counter.addNewLine(0);
    for (const line of this.lines) if (line.next > line.end) counter.addNewLine(line.next);
    return counter;
  }
}

const isKeyStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
const isKeyPart = (c: number): boolean => isKeyStart(c) || (c >= 0x30 && c <= 0x39);
