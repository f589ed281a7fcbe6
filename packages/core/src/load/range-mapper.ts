import type { LineCounter } from 'yaml';
import type { Position, Range } from '../position.js';
import { internRange } from './intern-range.js';

/**
 * Turns source offsets into 0-based positions. yaml's `LineCounter` is 1-based and counts columns in
 * string indices, which are UTF-16 code units: exactly LSP's `character`.
 */
export class RangeMapper {
  constructor(private readonly lines: LineCounter) {}

  position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line: line - 1, character: col - 1 };
  }

  /** The (shared, frozen) range between two offsets. */
  range(start: number, end: number): Range {
    const from = this.position(start);
    const to = this.position(Math.max(start, end));
    return internRange(from.line, from.character, to.line, to.character);
  }

  /** The range of a node's value (yaml ranges are `[start, valueEnd, nodeEnd]`). */
  node(node: unknown): Range {
    const r = typeof node === 'object' && node !== null && 'range' in node ? node.range : undefined;
    return Array.isArray(r) ? this.range(r[0] as number, r[1] as number) : this.range(0, 0);
  }
}
