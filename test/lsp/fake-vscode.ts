import { pathToFileURL, fileURLToPath } from 'node:url';

/** What the fake recorded: diagnostics the client handed to VS Code, and registered commands. */
export interface FakeVscodeRecord {
  diagnostics: Map<string, { message: string; code: unknown; range: FakeRange }[]>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  /** Lines the client wrote to its output channels (its errors land here). */
  log: string[];
  /** HTML of each webview panel the extension opened. */
  panels: string[];
  /** Warnings shown (message and the actions offered). */
  warnings: { message: string; actions: string[] }[];
  /** Settings written: `<section>.<key>`, the value and the target (2: workspace). */
  updates: { key: string; value: unknown; target: unknown }[];
  /** Calls into Red Hat's YAML extension API (`registerContributor` and the like), when it is installed. */
  yamlApiCalls: string[];
  onDiagnostics?: () => void;
  /** Settled once a warning's action has run (its settings written). */
  warningHandled?: Promise<void>;
}

/** What the faked VS Code holds: installed extensions and `yaml.schemas` per settings level. */
export interface FakeVscodeSetup {
  /** Red Hat's YAML extension (`redhat.vscode-yaml`) is installed. */
  yamlExtension?: boolean;
  yamlSchemas?: { workspaceValue?: unknown; globalValue?: unknown };
  /** The action a warning is answered with (none: dismissed). */
  answer?: (actions: string[]) => string | undefined;
}

class FakePosition {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
class FakeRange {
  readonly start: FakePosition;
  readonly end: FakePosition;
  constructor(a: number | FakePosition, b: number | FakePosition, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new FakePosition(a, b as number) : a;
    this.end = typeof a === 'number' ? new FakePosition(c ?? 0, d ?? 0) : (b as FakePosition);
  }
}
export class FakeUri {
  private constructor(readonly href: string) {}
  static file(path: string): FakeUri {
    return new FakeUri(pathToFileURL(path).href);
  }
  static parse(value: string): FakeUri {
    return new FakeUri(value);
  }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri([base.href, ...parts].join('/'));
  }
  get scheme(): string {
    return this.href.slice(0, this.href.indexOf(':'));
  }
  get fsPath(): string {
    return fileURLToPath(this.href);
  }
  get path(): string {
    return new URL(this.href).pathname;
  }
  toString(): string {
    return this.href;
  }
}

/**
 * Anything the client touches that the test does not care about: every property is another such value,
 * calling or constructing one returns one (so `dispose()` and `onDidX(listener)` work), and it is never
 * a thenable, an iterable or a number.
 */
function anything(): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get: (_t, key) => {
      if (key === 'then' || key === Symbol.iterator || key === Symbol.asyncIterator || key === Symbol.toPrimitive)
        return undefined;
      if (key === 'toString') return () => '[fake]';
      if (!cache.has(key)) cache.set(key, anything());
      return cache.get(key);
    },
    apply: () => anything(),
    construct: () => anything() as object,
  });
}

const disposable = { dispose: () => undefined };
const event = () => () => disposable;

/** A fake `vscode` module: enough API for vscode-languageclient to start a server and deliver diagnostics. */
export function fakeVscode(workspaceDir: string, record: FakeVscodeRecord, setup: FakeVscodeSetup = {}): unknown {
  // Red Hat's YAML extension, when installed, records every call into its API (the extension should make none).
  const yamlApi = new Proxy(
    {},
    {
      get: (_t, key) =>
        key === 'then'
          ? undefined
          : (...args: unknown[]) => void record.yamlApiCalls.push(`${String(key)}(${args.length})`),
    },
  );
  const extension = (id: string): unknown =>
    id === 'redhat.vscode-yaml' && setup.yamlExtension
      ? { id, isActive: true, exports: yamlApi, activate: async () => yamlApi }
      : undefined;
  const real: Record<string, unknown> = {
    version: '1.91.0',
    Uri: FakeUri,
    Position: FakePosition,
    Range: FakeRange,
    Diagnostic: class {
      constructor(
        readonly range: FakeRange,
        readonly message: string,
        readonly severity?: number,
      ) {}
    },
    Disposable: class {
      static from = () => disposable;
      dispose = () => undefined;
    },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    CancellationTokenSource: class {
      readonly token = { isCancellationRequested: false, onCancellationRequested: event() };
      cancel(): void {
        this.token.isCancellationRequested = true;
      }
      dispose = () => undefined;
    },
    EventEmitter: class {
      event = event();
      fire = () => undefined;
      dispose = () => undefined;
    },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    extensions: { all: [], getExtension: (id: string) => extension(id), onDidChange: event() },
    env: { appName: 'fake', language: 'en', machineId: 'm', sessionId: 's', uiKind: 1, remoteName: undefined },
    workspace: new Proxy(
      {
        workspaceFolders: [{ uri: FakeUri.file(workspaceDir), name: 'ws', index: 0 }],
        textDocuments: [],
        getConfiguration: (section?: string) => ({
          get: <T>(_k: string, fallback?: T) => fallback,
          has: () => false,
          inspect: (key: string) => (section === 'yaml' && key === 'schemas' ? setup.yamlSchemas : undefined),
          update: async (key: string, value: unknown, target: unknown) =>
            void record.updates.push({ key: `${section ?? ''}.${key}`, value, target }),
        }),
        getWorkspaceFolder: () => ({ uri: FakeUri.file(workspaceDir), name: 'ws', index: 0 }),
      },
      {
        get: (t: Record<string | symbol, unknown>, key) =>
          key in t ? t[key] : key.toString().startsWith('on') ? event() : anything(),
      },
    ),
    window: new Proxy(
      {
        activeTextEditor: undefined,
        showWarningMessage: (message: string, ...actions: string[]) => {
          record.warnings.push({ message, actions });
          // The answer's promise, whose continuation (the extension's reaction) the test can await.
          const answered = Promise.resolve(setup.answer?.(actions));
          return {
            then: (run: (chosen: string | undefined) => unknown) =>
              (record.warningHandled = answered.then(run).then(() => undefined)),
          };
        },
        createWebviewPanel: (_type: string, title: string) => {
          const webview = {
            html: '',
            cspSource: 'vscode-webview:',
            asWebviewUri: (u: FakeUri) => `vscode-webview:${u.path}`,
          };
          const panel = {
            title,
            webview,
            onDidDispose: event(),
            reveal: () => record.panels.push(webview.html),
            dispose: () => undefined,
          };
          return panel;
        },
        createOutputChannel: () => {
          const write = (...parts: unknown[]): void => void record.log.push(parts.map(String).join(' '));
          return {
            name: 'aegis',
            appendLine: write,
            append: write,
            info: write,
            warn: write,
            error: write,
            debug: write,
            trace: write,
            show: () => undefined,
            clear: () => undefined,
            replace: () => undefined,
            dispose: () => undefined,
            onDidChangeLogLevel: event(),
            logLevel: 2,
          };
        },
      },
      {
        get: (t: Record<string | symbol, unknown>, key) =>
          key in t ? t[key] : key.toString().startsWith('on') ? event() : anything(),
      },
    ),
    languages: new Proxy(
      {
        createDiagnosticCollection: () => ({
          set: (uri: FakeUri, diagnostics: { message: string; code: unknown; range: FakeRange }[] | undefined) => {
            record.diagnostics.set(uri.toString(), diagnostics ?? []);
            record.onDiagnostics?.();
          },
          delete: (uri: FakeUri) => record.diagnostics.delete(uri.toString()),
          clear: () => record.diagnostics.clear(),
          dispose: () => undefined,
          forEach: () => undefined,
        }),
      },
      {
        get: (t: Record<string | symbol, unknown>, key) =>
          key in t ? t[key] : key.toString().startsWith('on') ? event() : anything(),
      },
    ),
    commands: new Proxy(
      {
        registerCommand: (name: string, run: (...args: unknown[]) => unknown) => {
          record.commands.set(name, run);
          return disposable;
        },
      },
      { get: (t: Record<string | symbol, unknown>, key) => (key in t ? t[key] : anything()) },
    ),
  };
  const rest = anything() as Record<string | symbol, unknown>;
  return new Proxy(real, { get: (t, key) => (key in t ? t[key as string] : rest[key]) });
}
