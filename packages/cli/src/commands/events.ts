import { eventNamesFromEnv, formatTailed, tailEvents } from '@aegis/events';
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
  (see docs/events.md).`,
  async run(args, io) {
    const opts = { 'nats-url': { type: 'string' }, all: { type: 'boolean' }, limit: { type: 'string' }, format: { type: 'string' } } as const;
    const { values, positionals } = parseOptions('events', args, opts);
    if (positionals[0] !== 'tail' || positionals.length > 1) throw new UsageError('aegis events takes one subcommand: tail (see: aegis events --help)');
    const format = pickFormat('events', stringOption(values, 'format'), ['text', 'json'] as const);
    const limitText = stringOption(values, 'limit');
    const limit = limitText === undefined ? undefined : positiveInt('events', 'limit', limitText, 0);
    const env = io.env as NodeJS.ProcessEnv;
    const natsUrl = stringOption(values, 'nats-url') ?? env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
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
        onEvent: (event) => io.stdout(`${format === 'json' ? JSON.stringify({ ...event, body: undefined, event: safeJson(event.body) }) : formatTailed(event)}\n`),
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
