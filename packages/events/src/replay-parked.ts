import { jetstream } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import type { EventStore } from './event-store.js';

/** The header that marks a replay of a parked event; its value is the parked row's id. */
export const REPLAY_HEADER = 'Aegis-Replay';

/**
 * Re-publishes a parked event (after an admin fixed the cause) to its subject with `Aegis-Replay: <id>`.
 * The consumer handles it even though its id was seen before, and removes the parked row when it takes it;
 * a second replay of the same row is then a duplicate. Returns false when no such row is parked.
 */
export async function replayParked(store: EventStore, natsUrl: string, id: number): Promise<boolean> {
  const parked = await store.parkedById(id);
  if (!parked) return false;
  const nc = await connect({ servers: natsUrl.split(','), name: 'aegis-events-replay' });
  try {
    const h = headers();
    h.set(REPLAY_HEADER, String(id));
    await jetstream(nc).publish(parked.subject, parked.payload, { headers: h, msgID: `replay-${id}` });
  } finally {
    await nc.close();
  }
  return true;
}
