import { validateRegistry } from '@aegis/core';
import { EXIT, type Command } from '../command.js';
import { DIAGNOSTIC_FORMATS, flatten, formatDiagnostics, summarize } from '../format-diagnostics.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { loadRegistryFromDisk } from '../registry-input.js';

export const validateCommand: Command = {
  name: 'validate',
  usage: `aegis validate [dir] [--format text|json|github]

  dir        the schema folder (default .kiro/schemas)
  --format   text (default), json ({ diagnostics, summary }), github (workflow annotations)

Exit 0 when clean (warnings allowed), 1 when there are errors, 2 on usage or I/O errors.`,
  async run(args, io) {
    const { values, positionals } = parseOptions('validate', args, { format: { type: 'string' } });
    const format = pickFormat('validate', stringOption(values, 'format'), DIAGNOSTIC_FORMATS);
    const registry = await loadRegistryFromDisk(positionals[0], io.cwd);
    const results = validateRegistry(registry);
    const summary = summarize(results, registry.schemas.size);
    io.stdout(formatDiagnostics(format, flatten(results), summary, { color: io.isTTY && !io.env.NO_COLOR }));
    return summary.errors > 0 ? EXIT.findings : EXIT.clean;
  },
};
