import { afterEach } from 'vitest';
import { BusHarness } from './bus-harness.js';
import { SHARED_NATS } from './nats-support.js';

/** For a test file: the returned function starts a bus harness on the machine's NATS, closed after the test. */
export function useBusHarness(): () => Promise<BusHarness> {
  let harness: BusHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  return async () => (harness = await BusHarness.start(SHARED_NATS));
}
