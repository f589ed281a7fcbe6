import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { generateRegistry } from '../../bench/lsp/generate-registry.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ORDERS, ORDERS_FILE } from './lsp-fixtures.js';
import { editorSteps } from './editor-steps.js';
import { exampleRegistry } from './lsp-workspace.js';

const DRIVER = fileURLToPath(new URL('./neovim/drive.lua', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Runs Neovim (Debian's 0.7, headless, no user config) on `drive.lua`; returns each step's record by name. */
function neovim(root: string, scenario: string): Promise<Map<string, unknown>> {
  return editorSteps('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${DRIVER}`], root, {
    AEGIS_SCENARIO: scenario,
  });
}

/**
 * What `rename_schema` in drive.lua records after a schema rename Neovim applied: the file renamed with the
 * schema, `renamed_from` written, the renamed file clean (no `name-mismatch`) and its referrers (by base name) clean.
 */
const renamedWithItsFile = (referrers: string[]): unknown => ({
  old_file: false,
  new_file: true,
  renamed_from: true,
  new_file_codes: [],
  referrers: Object.fromEntries(referrers.map((name) => [name, []])),
});

describe('Neovim 0.7 (its own LSP client, headless)', () => {
  test('example registry: open, edit, cross-file update, completion, definition, rename and quick fix applied, a file deleted on disk', async () => {
    const temp = await tempDir({ ...(await exampleRegistry()), [ORDERS_FILE]: ORDERS });
    cleanups.push(temp.cleanup);
    const steps = await neovim(temp.dir, 'example');
    expect(steps.get('opened')).toEqual(['unknown-schema']);
    expect(steps.get('edited')).toEqual([]);
    expect(steps.get('cross-file')).toEqual(['unknown-column']);
    expect(steps.get('completion')).toEqual({ labels: ['users'], isIncomplete: false });
    expect(steps.get('definition')).toEqual({ uri: 'users.yaml', line: 0 });
    // Neovim lists file renames among its resource operations: the schema's file is renamed with it.
    expect(steps.get('renamed')).toEqual(renamedWithItsFile(['orders', 'applications']));
    expect(steps.get('quick fixes')).toEqual(['Create schema file .kiro/schemas/customer.yaml']);
    expect(steps.get('quick fix applied')).toEqual([]);
    // Neovim 0.7 registers no file watcher: the server's own watcher saw the deletion.
    expect(steps.get('deleted on disk')).toEqual(['unknown-schema']);
  }, 180_000);

  test('10,000 schemas: open, edit, cross-file update, completion capped, definition, rename and quick fix applied, a file deleted on disk', async () => {
    const temp = await tempDir();
    cleanups.push(temp.cleanup);
    await generateRegistry(temp.dir, 10_000);
    const steps = await neovim(temp.dir, 'large');
    expect(steps.get('opened')).toEqual(['invalid-field']);
    expect(steps.get('cross-file')).toEqual(['invalid-field', 'unknown-schema']);
    expect(steps.get('completion')).toEqual({ count: 100, isIncomplete: true });
    expect(steps.get('cross-file update')).toEqual(['unknown-column']);
    expect(steps.get('definition')).toEqual({ uri: 't_02499.yaml', line: 0 });
    // The schema's file is renamed with it; its never-opened referrer is edited and saved by Neovim.
    expect(steps.get('renamed')).toEqual(renamedWithItsFile(['t_04999', 't_05000']));
    const fixed = steps.get('quick fix applied') as { titles: string[]; created: boolean; codes: string[] };
    expect(fixed.titles).toContain('Create schema file .kiro/schemas/t_newone.yaml');
    expect(fixed).toMatchObject({ created: true, codes: [] });
    // Neovim 0.7 registers no file watcher: the server's own watcher, on a folder of 10,000 files, saw it.
    expect(steps.get('deleted on disk')).toEqual(['unknown-schema']);
  }, 300_000);
});
