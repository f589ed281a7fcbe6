import type { Range } from '../position.js';

// Positions fit the key while lines and characters stay below 8192: 4 × 13 bits = 52 bits, exact in a double.
const LIMIT = 8192;
// Bounded, so a long-running editor session cannot grow it without end (~65k ranges, a few MiB).
const MAX_ENTRIES = 1 << 16;
const cache = new Map<number, Range>();

/**
 * A frozen range, shared by every file that has a node at the same place. Schema files are alike (the
 * `type:` of the second column sits at the same line and column in most of them), so a 10,000-file
 * registry shares most of its ranges instead of holding three objects per node. Frozen because shared:
 * a consumer that tried to adjust one in place would change it everywhere, so that fails loudly instead.
 */
export function internRange(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  const fits = startLine < LIMIT && startCharacter < LIMIT && endLine < LIMIT && endCharacter < LIMIT;
  const key = fits ? ((startLine * LIMIT + startCharacter) * LIMIT + endLine) * LIMIT + endCharacter : -1;
  const cached = fits ? cache.get(key) : undefined;
  if (cached) return cached;
  const range: Range = Object.freeze({
    start: Object.freeze({ line: startLine, character: startCharacter }),
    end: Object.freeze({ line: endLine, character: endCharacter }),
  });
  if (fits && cache.size < MAX_ENTRIES) cache.set(key, range);
  return range;
}
