import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, Range } from 'vscode-languageserver-protocol';

/** One `textDocument/publishDiagnostics` as received, with when it arrived (performance.now()). */
export interface Publication {
  uri: string;
  diagnostics: Diagnostic[];
  at: number;
}

export interface StartOptions {
  /** The command and arguments that start the server over stdio. */
  command: string;
  args: string[];
  cwd: string;
  /** Answers `workspace/configuration` items (yaml-language-server asks for its settings). */
  configuration?: (section: string | undefined) => unknown;
  /** Variables added to the server's environment (e.g. `AEGIS_CACHE_DIR`). */
  env?: Record<string, string>;
}

/**
 * A real LSP client over stdio for tests and benchmarks: it spawns the server, speaks JSON-RPC through
 * vscode-jsonrpc, records every diagnostics publication and lets a test wait for the next one that matches.
 */
export class LspTestClient {
  readonly publications: Publication[] = [];
  readonly latest = new Map<string, Diagnostic[]>();
  readonly stderr: string[] = [];
  /** Every `$/progress` notification received, with when it arrived. */
  readonly progress: {
    token: string | number;
    value: { kind: string; percentage?: number; message?: string };
    at: number;
  }[] = [];
  /** Every `client/registerCapability` registration received. */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly exited: Promise<number | null>;
  #waiters: { test: (p: Publication) => boolean; resolve: (p: Publication) => void }[] = [];

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {
    this.exited = new Promise((resolve) => process.on('exit', (code) => resolve(code)));
    process.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      const publication = { uri: p.uri, diagnostics: p.diagnostics, at: performance.now() };
      this.publications.push(publication);
      this.latest.set(p.uri, p.diagnostics);
      const ready = this.#waiters.filter((w) => w.test(publication));
      this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(publication);
    });
  }

  #progressWaiters: (() => void)[] = [];

  #notify(): void {
    for (const w of this.#progressWaiters.splice(0)) w();
  }

  /**
   * Resolves once `count` work-done progresses have ended (the server's start-up scan of each registry):
   * from then on every file on disk is known.
   */
  async scanned(count = 1, timeoutMs = 120_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.progress.filter((p) => p.value.kind === 'end').length < count) {
      if (performance.now() > deadline) throw new Error(`the scan did not end within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
        this.#progressWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Spawns the server and connects to its stdio. */
  static start(options: StartOptions): LspTestClient {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      stdio: 'pipe',
      env: { ...process.env, ...options.env },
    });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new LspTestClient(child, connection);
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((item) => options.configuration?.(item.section) ?? null),
    );
    connection.onRequest('client/registerCapability', (p: { registrations: LspTestClient['registrations'] }) => {
      client.registrations.push(...p.registrations);
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', (p: { token: string | number; value: { kind: string } }) => {
      client.progress.push({ ...p, at: performance.now() });
      client.#notify();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      client.stderr.push(`${p.message}\n`);
    });
    connection.listen();
    return client;
  }

  /**
   * `initialize` + `initialized` for a workspace folder (or several: `rootDir` may be a list), as a client
   * that can create and rename files and registers no file watcher; `workspace` capabilities given replace those.
   */
  async initialize(
    rootDir: string | string[],
    initializationOptions?: unknown,
    workspace: Record<string, unknown> = {},
  ): Promise<InitializeResult> {
    const uris = (typeof rootDir === 'string' ? [rootDir] : rootDir).map((d) => pathToFileURL(d).href);
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: uris[0],
      workspaceFolders: uris.map((uri, i) => ({ uri, name: `folder${i}` })),
      initializationOptions,
      capabilities: {
        workspace: {
          workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
          didChangeWatchedFiles: { dynamicRegistration: false },
          configuration: true,
          ...workspace,
        },
        window: { workDoneProgress: true },
        textDocument: {
          publishDiagnostics: { relatedInformation: true },
          completion: { completionItem: { snippetSupport: false } },
          rename: { prepareSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The next publication for `uri` (any URI when omitted) that passes `test`, sent after this call. */
  nextDiagnostics(
    uri?: string,
    test: (d: Diagnostic[]) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<Publication> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`no diagnostics for ${uri ?? 'any file'} within ${timeoutMs} ms\n${this.stderr.join('')}`)),
        timeoutMs,
      );
      this.#waiters.push({
        test: (p) => (uri === undefined || p.uri === uri) && test(p.diagnostics),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** The latest diagnostics of `uri` if they pass `test` already, else the next publication that does. */
  async waitFor(uri: string, test: (d: Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const latest = this.latest.get(uri);
    if (latest && test(latest)) return latest;
    return (await this.nextDiagnostics(uri, test, timeoutMs)).diagnostics;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
  }

  /** Replaces the whole text of an open document. */
  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** Replaces one range of an open document (incremental sync). */
  edit(uri: string, version: number, range: Range, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
  }

  save(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Files created (1), changed (2) or deleted (3) on disk. */
  watched(changes: { uri: string; type: 1 | 2 | 3 }[]): Promise<void> {
    return this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  /** Shuts the server down politely; kills it if it does not exit within 5 s. */
  async stop(): Promise<number | null> {
    const kill = setTimeout(() => this.process.kill('SIGKILL'), 5_000);
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), this.exited]);
      await this.connection.sendNotification('exit');
    } catch {
      this.process.kill('SIGKILL');
    }
    const code = await this.exited;
    clearTimeout(kill);
    this.connection.dispose();
    return code;
  }
}
