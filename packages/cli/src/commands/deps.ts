import { dependentsOf, didYouMean } from '@aegis/core';
import { EXIT, UsageError, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { loadRegistryFromDisk, requireSchema } from '../registry-input.js';

export const depsCommand: Command = {
  name: 'deps',
  usage: `aegis deps <schema> [--dir DIR] [--format text|json]

  Lists every schema whose foreign keys reach <schema>, directly or through others, and their owner services:
  who to tell before changing it.`,
  async run(args, io) {
    const { values, positionals } = parseOptions('deps', args, { dir: { type: 'string' }, format: { type: 'string' } });
    const format = pickFormat('deps', stringOption(values, 'format'), ['text', 'json'] as const);
    const name = positionals[0];
    if (!name) throw new UsageError('name the schema: aegis deps <schema>');
    const registry = await loadRegistryFromDisk(stringOption(values, 'dir'), io.cwd);
    requireSchema(registry, name, (n) => didYouMean(n, registry.schemas.keys()));
    const { schemas, services } = dependentsOf(registry, name);
    if (format === 'json') {
      io.stdout(JSON.stringify({ schema: name, schemas, services }, null, 2) + '\n');
      return EXIT.clean;
    }
    if (schemas.length === 0) {
      io.stdout(`Nothing depends on ${name}.\n`);
      return EXIT.clean;
    }
    const lines = [`Schemas depending on ${name}:`];
    for (const s of schemas)
      lines.push(
        `  ${s.name} (${registry.schemas.get(s.name)?.owner?.value ?? 'no owner'})${s.direct ? '' : ' — through another schema'}`,
      );
    lines.push(`Owner services: ${services.join(', ')}`);
    io.stdout(lines.join('\n') + '\n');
    return EXIT.clean;
  },
};
