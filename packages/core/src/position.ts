/** A 0-based position; `character` counts UTF-16 code units, as LSP does, so editors take it as is. */
export interface Position {
  line: number;
  character: number;
}

/** A span of source text between two positions, end exclusive. */
export interface Range {
  start: Position;
  end: Position;
}
