import { didYouMean, renderErd } from '@aegis/core';
import { EXIT, type Command } from '../command.js';
import { parseOptions, positiveInt, stringOption } from '../parse-options.js';
import { loadRegistryFromDisk, requireSchema } from '../registry-input.js';
import { writeOutput } from '../write-output.js';

export const erdCommand: Command = {
  name: 'erd',
  usage: `aegis erd [dir] [--focus SCHEMA] [--depth N] [--out FILE]

  --focus   draw only this schema and the schemas within --depth references of it
  --depth   how many references away from --focus to draw (default 1)
  --out     write to FILE instead of standard output`,
  async run(args, io) {
    const { values, positionals } = parseOptions('erd', args, {
      focus: { type: 'string' },
      depth: { type: 'string' },
      out: { type: 'string' },
    });
    const registry = await loadRegistryFromDisk(positionals[0], io.cwd);
    const depth = positiveInt('erd', 'depth', stringOption(values, 'depth'), 1);
    const focus = stringOption(values, 'focus');
    if (focus !== undefined) requireSchema(registry, focus, (n) => didYouMean(n, registry.schemas.keys()));
    await writeOutput(io, stringOption(values, 'out'), renderErd(registry, { focus, depth }));
    return EXIT.clean;
  },
};
