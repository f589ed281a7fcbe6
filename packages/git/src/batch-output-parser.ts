/** One object as `git cat-file --batch` returns it. */
export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

type State =
  | { kind: 'header'; parts: Buffer[] }
  | { kind: 'body'; oid: string; type: string; out: Buffer; filled: number }
  | { kind: 'lf' };

/**
 * Parses the output of `git cat-file --batch` as it streams in, whatever the chunking: per request either
 * `<oid> <type> <size>\n<content>\n` (an object) or `<name> missing\n` / `<name> ambiguous\n`. Each object's
 * content is copied once into a buffer of its exact size.
 */
export class BatchOutputParser {
  private state: State = { kind: 'header', parts: [] };

  constructor(
    private readonly onObject: (object: GitObject) => void,
    private readonly onMissing: () => void,
  ) {}

  /** Consumes one chunk of output, calling back for every answer it completes. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const state = this.state;
      if (state.kind === 'header') {
        const end = chunk.indexOf(10, offset);
        if (end === -1) {
          state.parts.push(chunk.subarray(offset));
          return;
        }
        // Usually the whole header is in this chunk: decode it in place, without copying.
        const line =
          state.parts.length === 0
            ? chunk.toString('utf8', offset, end)
            : Buffer.concat([...state.parts, chunk.subarray(offset, end)]).toString('utf8');
        offset = end + 1;
        this.header(line);
      } else if (state.kind === 'body') {
        const take = Math.min(state.out.length - state.filled, chunk.length - offset);
        chunk.copy(state.out, state.filled, offset, offset + take);
        state.filled += take;
        offset += take;
        if (state.filled === state.out.length) this.complete({ oid: state.oid, type: state.type, content: state.out });
      } else {
        offset += 1; // the newline git writes after each object's content
        this.state = { kind: 'header', parts: [] };
      }
    }
  }

  private header(line: string): void {
    // The name asked for may hold spaces; only the last word tells a missing object from a found one.
    if (/ (missing|ambiguous)$/.test(line)) {
      this.state = { kind: 'header', parts: [] };
      this.onMissing();
      return;
    }
    const [oid = '', type = '', size = '0'] = line.split(' ');
    const out = Buffer.allocUnsafe(Number(size));
    this.state = { kind: 'body', oid, type, out, filled: 0 };
    if (out.length === 0) this.complete({ oid, type, content: out });
  }

  private complete(object: GitObject): void {
    this.state = { kind: 'lf' };
    this.onObject(object);
  }
}
