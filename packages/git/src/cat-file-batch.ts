import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitRegistryError } from './errors.js';

interface Pending {
  oid: string;
  resolve: (content: Buffer) => void;
  reject: (error: Error) => void;
}

/** The object git could not find, so the caller can say which file it was and why (shallow, partial). */
export class ObjectMissing extends Error {
  constructor(readonly oid: string) {
    super(`${oid}: missing`);
  }
}

type State = { kind: 'header'; parts: Buffer[] } | { kind: 'body'; out: Buffer; filled: number } | { kind: 'lf' };

/**
 * One long-lived `git cat-file --batch` process serving any number of object reads. Requests made in the
 * same tick are written in one go and answered in order, so reading N blobs costs one process, not N.
 * The process ends after a moment without requests (and never keeps Node alive), or on `close()`.
 */
export class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending: Pending[] = [];
  private outgoing: string[] = [];
  private state: State = { kind: 'header', parts: [] };
  private stderr = '';
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repoDir: string,
    private readonly idleMs = 250,
  ) {}

  /** The content of one object (a blob) by its full id. */
  read(oid: string): Promise<Buffer> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.push({ oid, resolve, reject });
      if (this.outgoing.push(`${oid}\n`) === 1) setImmediate(() => this.flush());
    });
  }

  /** Ends the process; pending reads fail. */
  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const child = this.child;
    this.child = undefined;
    child?.stdin.end();
    this.failAll(new GitRegistryError('git-failed', 'git cat-file was closed while reading'));
  }

  private flush(): void {
    const lines = this.outgoing.join('');
    this.outgoing = [];
    if (lines === '') return;
    this.ensureChild().stdin.write(lines);
  }

  private ensureChild(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', ['cat-file', '--batch'], { cwd: this.repoDir, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    this.child = child;
    this.state = { kind: 'header', parts: [] };
    this.stderr = '';
    child.unref();
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    child.stdin.on('error', () => undefined); // EPIPE: the exit handler reports it
    child.on('error', (error) => this.onEnd(child, error.message));
    child.on('close', (code) => this.onEnd(child, `exited with ${code ?? 'a signal'}`));
    return child;
  }

  private onEnd(child: ChildProcessWithoutNullStreams, why: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    const detail = this.stderr.trim().split('\n')[0] ?? '';
    this.failAll(new GitRegistryError('git-failed', `git cat-file ${why}${detail ? `: ${detail}` : ''}`));
  }

  private failAll(error: Error): void {
    for (const request of this.pending.splice(0)) request.reject(error);
  }

  private onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const state = this.state;
      if (state.kind === 'header') {
        const end = chunk.indexOf(10, offset);
        if (end === -1) {
          state.parts.push(chunk.subarray(offset));
          return;
        }
        state.parts.push(chunk.subarray(offset, end));
        offset = end + 1;
        this.onHeader(Buffer.concat(state.parts).toString('utf8'));
      } else if (state.kind === 'body') {
        const take = Math.min(state.out.length - state.filled, chunk.length - offset);
        chunk.copy(state.out, state.filled, offset, offset + take);
        state.filled += take;
        offset += take;
        if (state.filled === state.out.length) this.complete(state.out);
      } else {
        offset += 1; // the newline git writes after each object's content
        this.state = { kind: 'header', parts: [] };
      }
    }
  }

  private onHeader(line: string): void {
    const fields = line.split(' ');
    if (fields.length === 3) {
      const size = Number(fields[2]);
      this.state = { kind: 'body', out: Buffer.allocUnsafe(size), filled: 0 };
      if (size === 0) this.complete(this.state.out);
      return;
    }
    this.state = { kind: 'header', parts: [] };
    const request = this.pending.shift();
    request?.reject(new ObjectMissing(request.oid));
    this.afterAnswer();
  }

  private complete(content: Buffer): void {
    this.state = { kind: 'lf' };
    this.pending.shift()?.resolve(content);
    this.afterAnswer();
  }

  private afterAnswer(): void {
    if (this.pending.length > 0 || !this.child) return;
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }
}
