import { afterAll, beforeAll } from 'vitest';
import { FreezeService, migrate, PgliteClient, SqlAuditLog, SqlStateStore } from '@aegis/freeze';
import type { FreezeConfig } from '@aegis/freeze';

/** A real `FreezeService` on an in-memory PGlite (state and audit), for unit tests; `close()` when done. */
export interface MemoryFreeze {
  freeze: FreezeService;
  close: () => Promise<void>;
}

/**
 * The freeze facade the bot uses, over real stores in memory: lock conflicts, retry-after, the audit log and
 * shadow builds behave as in production, so a unit test of a bot decision exercises the real rules of
 * `packages/freeze` rather than a copy of them. One per test file (opening takes a few seconds).
 */
export async function memoryFreeze(config: FreezeConfig = {}): Promise<MemoryFreeze> {
  const sql = await PgliteClient.open();
  await migrate(sql);
  const freeze = new FreezeService(new SqlStateStore(sql), new SqlAuditLog(sql), config);
  return { freeze, close: () => sql.close() };
}

/** The memory freeze of one test file: opened before its tests, closed after them (`world.freeze` inside a test). */
export function useMemoryFreeze(): { readonly freeze: FreezeService } {
  let world: MemoryFreeze | undefined;
  beforeAll(async () => {
    world = await memoryFreeze();
  });
  afterAll(() => world?.close());
  return {
    get freeze(): FreezeService {
      if (!world) throw new Error('useMemoryFreeze: the freeze opens before the tests, not at load');
      return world.freeze;
    },
  };
}
