import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { BatchOutputParser, type GitObject } from './batch-output-parser.js';
import { GitRegistryError, NotARepositoryError } from './errors.js';

export type { GitObject } from './batch-output-parser.js';

/** A request waiting for its answer; a callback rather than a promise each, so a batch of 10,000 stays cheap. */
interface Pending {
  spec: string;
  done: (error: Error | undefined, object?: GitObject) => void;
}

/** The object git could not find, so the caller can say which file it was and why (shallow, partial). */
export class ObjectMissing extends Error {
  constructor(readonly spec: string) {
    super(`${spec}: missing`);
  }
}

/**
 * One long-lived `git cat-file --batch` process serving any number of object reads. Requests made in the
 * same tick are written in one go and answered in order, so reading N blobs costs one process, not N.
 * The process ends after a moment without requests (and never keeps Node alive), or on `close()`.
 */
export class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | undefined;
  /** Requests in the order they were written; `head` is the next to be answered (no O(n) shift). */
  private pending: Pending[] = [];
  private head = 0;
  private outgoing: string[] = [];
  private stderr = '';
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repoDir: string,
    private readonly idleMs = 250,
  ) {}

  /** The content of one object (a blob) by its full id. */
  async read(oid: string): Promise<Buffer> {
    return (await this.object(oid)).content;
  }

  /**
   * One object by any name `git cat-file` understands: an id, `main^{commit}`, `<commit>:<path>`.
   * Rejects with `ObjectMissing` when git has no such object.
   */
  object(spec: string): Promise<GitObject> {
    return new Promise<GitObject>((resolve, reject) =>
      this.request(spec, (error, object) => (object ? resolve(object) : reject(error ?? new ObjectMissing(spec)))),
    );
  }

  /** Many objects in one write, answered with one promise; rejects with the first failure. */
  objects(specs: readonly string[]): Promise<GitObject[]> {
    return new Promise<GitObject[]>((resolve, reject) => {
      const results = new Array<GitObject>(specs.length);
      let left = specs.length;
      let failed = false;
      if (left === 0) resolve(results);
      specs.forEach((spec, i) =>
        this.request(spec, (error, object) => {
          if (failed) return;
          if (!object) {
            failed = true;
            reject(error ?? new ObjectMissing(spec));
            return;
          }
          results[i] = object;
          if (--left === 0) resolve(results);
        }),
      );
    });
  }

  private request(spec: string, done: Pending['done']): void {
    if (/[\r\n]/.test(spec)) return done(new ObjectMissing(spec)); // would break the line protocol
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.pending.push({ spec, done });
    if (this.outgoing.push(`${spec}\n`) === 1) setImmediate(() => this.flush());
  }

  private next(): Pending | undefined {
    const request = this.pending[this.head];
    if (request === undefined) return undefined;
    this.head += 1;
    if (this.head === this.pending.length) {
      this.pending = [];
      this.head = 0;
    }
    return request;
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
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: this.repoDir,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    this.child = child;
    this.stderr = '';
    // A parser per process: output a closed process still flushes (a last newline) must not reach the next one.
    const mine = (): boolean => this.child === child;
    const parser = new BatchOutputParser(
      (object) => mine() && this.answer(undefined, object),
      () => mine() && this.answer(new ObjectMissing(this.pending[this.head]?.spec ?? 'object')),
    );
    child.unref();
    child.stdout.on('data', (chunk: Buffer) => parser.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    child.stdin.on('error', () => undefined); // EPIPE: the exit handler reports it
    child.on('error', (error: NodeJS.ErrnoException) => void this.onSpawnError(child, error));
    child.on('close', (code) => this.onEnd(child, `exited with ${code ?? 'a signal'}`));
    return child;
  }

  private async onSpawnError(child: ChildProcessWithoutNullStreams, error: NodeJS.ErrnoException): Promise<void> {
    if (this.child !== child) return;
    this.child = undefined; // so the 'close' that follows does not answer first
    const info = await stat(this.repoDir).catch(() => undefined);
    this.failAll(
      info?.isDirectory()
        ? new GitRegistryError('git-failed', `git could not start: ${error.message}`)
        : new NotARepositoryError(this.repoDir, 'no such folder'),
    );
  }

  private onEnd(child: ChildProcessWithoutNullStreams, why: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    const detail = this.stderr.trim().split('\n')[0] ?? '';
    if (/not a git repository/i.test(detail)) this.failAll(new NotARepositoryError(this.repoDir));
    else this.failAll(new GitRegistryError('git-failed', `git cat-file ${why}${detail ? `: ${detail}` : ''}`));
  }

  private failAll(error: Error): void {
    const waiting = this.pending.slice(this.head);
    this.outgoing = []; // lines of the failed requests not yet written must not reach a new process
    this.pending = [];
    this.head = 0;
    for (const request of waiting) request.done(error);
  }

  private answer(error: Error | undefined, object?: GitObject): void {
    this.next()?.done(error, object);
    this.afterAnswer();
  }

  private afterAnswer(): void {
    if (this.head < this.pending.length || !this.child) return;
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }
}
