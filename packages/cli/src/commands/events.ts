import path from 'node:path';
import {
  eventNamesFromEnv,
  formatTailed,
  openEventStore,
  replayParked,
  tailEvents,
  type EventStore,
  type ParkedEvent,
} from '@aegis/events';
import { storeConfigFromEnv } from '@aegis/freeze';
import type { CliIo } from '../command.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { parseOptions, pickFormat, positiveInt, stringOption } from '../parse-options.js';

/** `aegis events tail`: what flows on the NATS JetStream bus, for operators. */
export const eventsCommand: Command = {
  name: 'events',
  usage: `aegis events tail [--nats-url URL] [--all] [--limit N] [--format text|json]

  Prints every schema.changed the registry publishes, every indexing event the indexing service sends and
  every rejection report, one line each (or one JSON object per line), until Ctrl-C or --limit events.
  --all replays what the streams still hold first. Read-only: it leaves no consumer behind.
  NATS_URL (default nats://127.0.0.1:4222) and the AEGIS_EVENTS_* names are those of aegis bot
  (see docs/events.md).

  parked lists the inbound events a handler kept failing on (from DATABASE_URL, else REDIS_URL, else the
  PGlite directory <AEGIS_DATA_DIR>-events, which only one process may open at a time: stop aegis bot first);
  replay re-publishes one, once its cause is fixed: the bot handles it again and removes it from the list.`,
  async run(args, io) {
    const opts = {
      'nats-url': { type: 'string' },
      all: { type: 'boolean' },
      limit: { type: 'string' },
      format: { type: 'string' },
    } as const;
    const { values, positionals } = parseOptions('events', args, opts);
    const env = io.env as NodeJS.ProcessEnv;
    const natsUrl = stringOption(values, 'nats-url') ?? env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
    if (positionals[0] === 'parked' && positionals.length === 1)
      return listParked(io, pickFormat('events', stringOption(values, 'format'), ['text', 'json'] as const));
    if (positionals[0] === 'replay' && positionals.length === 2) return replay(io, natsUrl, positionals[1] as string);
    if (positionals[0] !== 'tail' || positionals.length > 1)
      throw new UsageError('aegis events takes a subcommand: tail, parked or replay <id> (see: aegis events --help)');
    const format = pickFormat('events', stringOption(values, 'format'), ['text', 'json'] as const);
    const limitText = stringOption(values, 'limit');
    const limit = limitText === undefined ? undefined : positiveInt('events', 'limit', limitText, 0);
    const stop = new AbortController();
    const interrupt = (): void => stop.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      await tailEvents({
        natsUrl,
        names: eventNamesFromEnv(env),
        all: values['all'] === true,
        ...(limit !== undefined ? { limit } : {}),
        signal: stop.signal,
        onEvent: (event) =>
          io.stdout(
            `${format === 'json' ? JSON.stringify({ ...event, body: undefined, event: safeJson(event.body) }) : formatTailed(event)}\n`,
          ),
      });
    } catch (error) {
      io.stderr(`aegis events: cannot tail ${natsUrl}: ${(error as Error).message}\n`);
      return EXIT.usage;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
    return EXIT.clean;
  },
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function withStore<T>(io: CliIo, fn: (store: EventStore) => Promise<T>): Promise<T> {
  const env = io.env as NodeJS.ProcessEnv;
  const { store, close } = await openEventStore(
    storeConfigFromEnv(env),
    path.resolve(io.cwd, env['AEGIS_DATA_DIR'] ?? '.aegis'),
  );
  try {
    return await fn(store);
  } finally {
    await close();
  }
}

function parkedLine(p: ParkedEvent): string {
  return `#${p.id}  ${p.parkedAt}  ${p.subject}  id=${p.eventId ?? '?'}  after ${p.attempts} attempt(s): ${p.error}`;
}

async function listParked(io: CliIo, format: 'text' | 'json'): Promise<number> {
  const parked = await withStore(io, (store) => store.parked(1000));
  if (format === 'json') io.stdout(`${JSON.stringify(parked, null, 2)}\n`);
  else io.stdout(parked.length === 0 ? 'no parked events\n' : `${parked.map(parkedLine).join('\n')}\n`);
  return EXIT.clean;
}

async function replay(io: CliIo, natsUrl: string, idText: string): Promise<number> {
  const id = Number(idText.replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0)
    throw new UsageError(`replay takes a parked event's number (see: aegis events parked), got "${idText}"`);
  const sent = await withStore(io, (store) => replayParked(store, natsUrl, id));
  if (!sent) {
    io.stderr(`aegis events: no parked event #${id} (see: aegis events parked)\n`);
    return EXIT.findings;
  }
  io.stdout(`replayed parked event #${id}; the bot removes it from the list when it takes it\n`);
  return EXIT.clean;
}
