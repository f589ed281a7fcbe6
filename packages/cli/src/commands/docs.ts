import { renderDocs } from '@aegis/core';
import { EXIT, type Command } from '../command.js';
import { parseOptions, stringOption } from '../parse-options.js';
import { loadRegistryFromDisk } from '../registry-input.js';
import { writeOutput } from '../write-output.js';

export const docsCommand: Command = {
  name: 'docs',
  usage: `aegis docs [dir] [--out FILE]

  --out   write to FILE instead of standard output`,
  async run(args, io) {
    const { values, positionals } = parseOptions('docs', args, { out: { type: 'string' } });
    const registry = await loadRegistryFromDisk(positionals[0], io.cwd);
    await writeOutput(io, stringOption(values, 'out'), renderDocs(registry));
    return EXIT.clean;
  },
};
