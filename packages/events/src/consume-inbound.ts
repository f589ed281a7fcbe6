import { jetstream, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { InboundDispatcher, Outcome } from './inbound-dispatcher.js';

/**
 * Joins the durable consumer's queue group and hands each message to the dispatcher, one at a time.
 * Returns `stop`: no more messages are taken, and the one in hand finishes (and is acknowledged) first.
 */
export async function consumeInbound(
  conn: NatsConnection,
  stream: string,
  consumerName: string,
  dispatcher: InboundDispatcher,
  onOutcome?: (outcome: Outcome, msg: JsMsg) => void,
): Promise<() => Promise<void>> {
  const consumer = await jetstream(conn).consumers.getPushConsumer(stream, consumerName);
  const messages = await consumer.consume();
  // The queue subscription is on the server once this returns, so a replica that says it is ready takes work.
  await conn.flush();
  const loop = (async () => {
    for await (const msg of messages) {
      // Handle first: `onOutcome?.(await …)` would skip the handling itself when no listener is given.
      const outcome = await dispatcher.handle(msg);
      onOutcome?.(outcome, msg);
    }
  })();
  return async () => {
    messages.stop();
    await loop;
  };
}
