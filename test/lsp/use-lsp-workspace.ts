import { afterEach } from 'vitest';
import { ORDERS, ORDERS_FILE } from './lsp-fixtures.js';
import { lspWorkspace } from './lsp-workspace.js';
import type { LspWorkspace } from './lsp-workspace.js';

/**
 * For a test file: the returned `start(files, workspace)` starts a server on the example registry plus `files`
 * (by default the orders file with an unknown schema) and the client's `workspace` capabilities; the workspace
 * started last is closed after each test.
 */
export function useLspWorkspace(): (
  files?: Record<string, string | Uint8Array>,
  workspace?: Record<string, unknown>,
) => Promise<LspWorkspace> {
  let ws: LspWorkspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });
  return async (files = { [ORDERS_FILE]: ORDERS }, workspace) => {
    ws = await lspWorkspace(files, { workspace });
    return ws;
  };
}
