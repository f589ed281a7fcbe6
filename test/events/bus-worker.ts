// One bot-like process on the bus, for the multi-process test: `node --import tsx bus-worker.ts`.
// Env: NATS_URL, DATABASE_URL, AEGIS_EVENTS_PREFIX, AEGIS_EVENTS_NAME. Prints READY, then HANDLED <id> per event.
import { eventNamesFromEnv, startEventBus } from '@aegis/events';
import { FreezeService, migrate, PgClient, SqlAuditLog, SqlStateStore } from '@aegis/freeze';

const sql = new PgClient({ connectionString: process.env['DATABASE_URL'] as string });
await migrate(sql);
const freeze = new FreezeService(new SqlStateStore(sql), new SqlAuditLog(sql));
const bus = await startEventBus({
  natsUrl: process.env['NATS_URL'] as string,
  names: eventNamesFromEnv(process.env),
  name: process.env['AEGIS_EVENTS_NAME'],
  freeze,
  sql,
  handlers: {
    'indexing.started': async (_data, context) => {
      process.stdout.write(`HANDLED ${context.event.id}\n`);
    },
  },
});
await bus.ready;
process.stdout.write('READY\n');
process.once('SIGTERM', () => {
  void bus
    .close()
    .then(() => sql.close())
    .then(() => process.exit(0));
});
