import { afterAll, beforeAll } from 'vitest';
import type { FreezeConfig } from '../branch-changes.js';
import { FreezeService } from '../freeze-service.js';
import { openTestStores, type BackendName, type TestStores } from './backends.js';

/** Every backend the shared suite runs on. */
export const BACKENDS: BackendName[] = ['pglite', 'postgres', 'redis'];

/** Opens isolated stores for a `describe.each` block and a `FreezeService` over them; closes them after. */
export function useFreeze(
  name: BackendName,
  config: FreezeConfig = {},
): { freeze: () => FreezeService; stores: () => TestStores } {
  let stores: TestStores | undefined;
  let freeze: FreezeService | undefined;
  beforeAll(async () => {
    stores = await openTestStores(name);
    freeze = new FreezeService(stores.state, stores.audit, config);
  });
  afterAll(async () => {
    await stores?.close();
  });
  return {
    freeze: () => {
      if (!freeze) throw new Error('stores not open');
      return freeze;
    },
    stores: () => {
      if (!stores) throw new Error('stores not open');
      return stores;
    },
  };
}

/** The actor context tests act as. */
export const dev = { actor: 'dev-a', issue: '#12', delivery: 'delivery-1' };
export const admin = { actor: 'admin', issue: '#99' };
export const funnel = { actor: 'funnel-service' };
