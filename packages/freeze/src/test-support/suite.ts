import { afterAll, beforeAll } from 'vitest';
import type { FreezeConfig } from '../branch-changes.js';
import { FreezeService } from '../freeze-service.js';
import { openTestStores, type BackendName, type TestStores } from './backends.js';

/** Every backend the shared suite runs on. */
export const BACKENDS: BackendName[] = ['pglite', 'postgres', 'redis'];

/** Opens isolated stores on one backend before a `describe` block's tests and closes them after. */
export function useTestStores(name: BackendName): () => TestStores {
  let stores: TestStores | undefined;
  beforeAll(async () => {
    stores = await openTestStores(name);
  });
  afterAll(async () => {
    await stores?.close();
  });
  return () => {
    if (!stores) throw new Error('stores not open');
    return stores;
  };
}

/** Opens isolated stores for a `describe.each` block and a `FreezeService` over them; closes them after. */
export function useFreeze(
  name: BackendName,
  config: FreezeConfig = {},
): { freeze: () => FreezeService; stores: () => TestStores } {
  const stores = useTestStores(name);
  let freeze: FreezeService | undefined;
  return {
    freeze: () => (freeze ??= new FreezeService(stores().state, stores().audit, config)),
    stores,
  };
}

/** The actor context tests act as. */
export const dev = { actor: 'dev-a', issue: '#12', delivery: 'delivery-1' };
export const admin = { actor: 'admin', issue: '#99' };
export const funnel = { actor: 'funnel-service' };
