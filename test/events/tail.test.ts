import { describe, expect, it } from 'vitest';
import { cloudEvent } from '@aegis/events';
import { runAegis } from '../helpers/run-aegis.js';
import { inbound } from './bus-harness.js';
import { SHARED_NATS } from './nats-support.js';
import { useBusHarness } from './use-bus-harness.js';

const startBus = useBusHarness();

describe('aegis events tail', () => {
  it('prints the schema.changed and indexing events the streams hold, one line each', async () => {
    const h = await startBus();
    const { bus } = await h.replica('bot-a', { 'indexing.started': async () => undefined });
    const data = {
      repository: 'acme/registry',
      branch: 'main',
      breaking: true,
      schemas: [{ name: 'users', breaking: true }],
    };
    await bus.publish(
      h.names.schemaChanged,
      cloudEvent({ id: 'sc-1', type: 'com.aegis.schema.changed', source: 'test', data }),
    );
    await bus.drained();
    await h.send('indexing.started', inbound('indexing.started', { indexing_id: 'idx-9' }, 'st-1'));
    await h.outcomes.until(() => h.outcomes.count('handled') === 1, 'the started event handled');
    const prefix = h.names.schemaChanged.split('.')[0] as string;
    const env = { NATS_URL: SHARED_NATS, AEGIS_EVENTS_PREFIX: prefix };
    const text = await runAegis(['events', 'tail', '--all', '--limit', '2'], process.cwd(), env);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toMatch(
      new RegExp(`${prefix}\\.schema\\.changed  acme/registry@main  id=sc-1  schemas=users!  BREAKING`),
    );
    expect(lines.join('\n')).toMatch(
      new RegExp(`${prefix}\\.funnel\\.indexing\\.started  acme/registry@main  id=st-1  indexing_id=idx-9`),
    );
    const json = await runAegis(['events', 'tail', '--all', '--limit', '1', '--format', 'json'], process.cwd(), env);
    expect(JSON.parse(json.stdout)).toMatchObject({ subject: h.names.schemaChanged, event: { id: 'sc-1' } });
  });

  it('refuses an unknown subcommand with exit 2', async () => {
    const result = await runAegis(['events', 'follow'], process.cwd());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tail/);
  });
});
