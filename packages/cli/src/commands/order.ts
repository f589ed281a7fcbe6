import { migrationOrder } from '@aegis/core';
import { EXIT, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { loadRegistryFromDisk } from '../registry-input.js';

export const orderCommand: Command = {
  name: 'order',
  usage: `aegis order [dir] [--format text|json]`,
  async run(args, io) {
    const { values, positionals } = parseOptions('order', args, { format: { type: 'string' } });
    const format = pickFormat('order', stringOption(values, 'format'), ['text', 'json'] as const);
    const registry = await loadRegistryFromDisk(positionals[0], io.cwd);
    const order = migrationOrder(registry).map((name) => ({
      name,
      owner: registry.schemas.get(name)?.owner?.value ?? '',
    }));
    if (format === 'json') io.stdout(JSON.stringify({ order }, null, 2) + '\n');
    else io.stdout(order.map((s, i) => `${i + 1}. ${s.name}${s.owner ? ` (${s.owner})` : ''}`).join('\n') + '\n');
    return EXIT.clean;
  },
};
