import type { NatsConnection } from '@nats-io/transport-node';

/** Collects the next `count` messages of a core-NATS subject (subscribed at once, before anything is sent). */
export function subscribeOnce(
  nc: NatsConnection,
  subject: string,
  count: number,
  timeoutMs = 20_000,
): Promise<string[]> {
  const sub = nc.subscribe(subject, { max: count });
  const timer = setTimeout(() => sub.unsubscribe(), timeoutMs);
  return (async () => {
    const out: string[] = [];
    for await (const msg of sub) out.push(msg.string());
    clearTimeout(timer);
    if (out.length < count) throw new Error(`got ${out.length} of ${count} messages on ${subject}`);
    return out;
  })();
}
