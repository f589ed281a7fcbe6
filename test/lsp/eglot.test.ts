import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { editorSteps } from './editor-steps.js';
import { BROKEN, BROKEN_FILE, ORDERS, ORDERS_FILE } from './lsp-fixtures.js';
import { exampleRegistry } from './lsp-workspace.js';

const DRIVER = fileURLToPath(new URL('./eglot/drive.el', import.meta.url));
/** Seconds any one wait inside Emacs may take. */
const WAIT_SECONDS = 60;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('Emacs eglot 1.9 (batch)', () => {
  test('example registry: diagnostics, completion, edit, renames and the create-file quick fix applied, a file deleted on disk cleared', async () => {
    const temp = await tempDir({
      ...(await exampleRegistry()),
      [ORDERS_FILE]: ORDERS,
      [BROKEN_FILE]: BROKEN,
    });
    cleanups.push(temp.cleanup);
    // Debian's Emacs (batch, no user or site config) with its eglot package.
    const steps = await editorSteps('emacs', ['--batch', '-Q', '-l', DRIVER], temp.dir, {
      AEGIS_TIMEOUT: String(WAIT_SECONDS),
    });
    expect(steps.get('opened')).toEqual(['unknown-schema']);
    // eglot matches globs against absolute paths: the server registers one that starts with a globstar.
    expect(steps.get('watchers')).toEqual(['**/.kiro/schemas/**/*.{yaml,yml}']);
    expect(steps.get('broken, never opened')).toEqual(['invalid-field']);
    expect(steps.get('completion')).toEqual(['users']);
    expect(steps.get('edited')).toEqual([]);
    // eglot lists no file renames among its resource operations: the server says what to do instead...
    expect(steps.get('schema rename refused')).toContain(
      'rename .kiro/schemas/users.yaml to .kiro/schemas/members.yaml first',
    );
    // ...and once the file is renamed on disk (an event eglot 1.9 does not forward), the rename edits the text.
    expect(steps.get('schema renamed')).toEqual({ name: true, renamed_from: true, orders: true });
    expect(steps.get('column renamed')).toEqual({ members: true, orders: true });
    // ...and the "create schema file" quick fix, a file creation it could not apply, is a command it runs.
    expect(steps.get('quick fix applied')).toEqual({
      titles: ['Create schema file .kiro/schemas/customer.yaml'],
      via: 'command',
      created: true,
      orders: [],
    });
    const deleted = steps.get('deleted on disk') as { diagnostics: string[]; events: number };
    expect(deleted.diagnostics).toEqual([]);
    expect(deleted.events).toBeGreaterThan(0);
  }, 300_000);
});
