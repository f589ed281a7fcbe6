import { validateRegistry, type Registry } from '@aegis/core';
import { EXIT, type Command } from '../command.js';
import { DIAGNOSTIC_FORMATS, flatten, formatDiagnostics, summarize } from '../format-diagnostics.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { DEFAULT_SCHEMA_DIR, loadRegistryFromDisk } from '../registry-input.js';

/** The registry as committed at `ref` (no checkout), `dir` being the schema folder inside the repository. */
async function loadRegistryFromRef(ref: string, dir: string | undefined, cwd: string): Promise<Registry> {
  const { loadRegistryAtRef, repositoryRoot } = await import('@aegis/git');
  const { registry } = await loadRegistryAtRef(await repositoryRoot(cwd), ref, {
    schemaDir: dir ?? DEFAULT_SCHEMA_DIR,
  });
  return registry;
}

export const validateCommand: Command = {
  name: 'validate',
  usage: `aegis validate [dir] [--ref REF] [--format text|json|github]

  dir        the schema folder (default .kiro/schemas)
  --ref      validate the registry as committed at a branch, tag or commit, without checking it out
             (dir is then the folder inside the repository)
  --format   text (default), json ({ diagnostics, summary }), github (workflow annotations)

Exit 0 when clean (warnings allowed), 1 when there are errors, 2 on usage or I/O errors.`,
  async run(args, io) {
    const { values, positionals } = parseOptions('validate', args, {
      format: { type: 'string' },
      ref: { type: 'string' },
    });
    const format = pickFormat('validate', stringOption(values, 'format'), DIAGNOSTIC_FORMATS);
    const ref = stringOption(values, 'ref');
    const registry =
      ref === undefined
        ? await loadRegistryFromDisk(positionals[0], io.cwd)
        : await loadRegistryFromRef(ref, positionals[0], io.cwd);
    const results = validateRegistry(registry);
    const summary = summarize(results, registry.schemas.size);
    io.stdout(formatDiagnostics(format, flatten(results), summary, { color: io.isTTY && !io.env.NO_COLOR }));
    return summary.errors > 0 ? EXIT.findings : EXIT.clean;
  },
};
