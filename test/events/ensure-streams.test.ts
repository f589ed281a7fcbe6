import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureStreams } from '@aegis/events';
import { deleteStream, privateNames, SHARED_NATS } from './nats-support.js';

const names = privateNames();
afterEach(async () => {
  await deleteStream(SHARED_NATS, names);
});

describe('ensureStreams', () => {
  it('lets replicas that start together set up one stream, each subject captured once', async () => {
    // Separate connections, as separate replicas have: each looks, finds nothing, and creates or extends.
    const connections = await Promise.all(Array.from({ length: 4 }, () => connect({ servers: SHARED_NATS })));
    try {
      const managers = await Promise.all(connections.map((nc) => jetstreamManager(nc)));
      const layouts = await Promise.all(managers.map((jsm) => ensureStreams(jsm, names)));
      for (const layout of layouts)
        expect(layout).toEqual({ outboundStream: names.stream, inboundStream: names.stream });
      const info = await managers[0]!.streams.info(names.stream);
      expect([...(info.config.subjects ?? [])].sort()).toEqual([names.inboundFilter, names.schemaChanged].sort());
    } finally {
      await Promise.all(connections.map((nc) => nc.close()));
    }
  });
});
