import { buildGraph } from '@aegis/core';
import { EXIT, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { loadRegistryFromDisk } from '../registry-input.js';

export const graphCommand: Command = {
  name: 'graph',
  usage: `aegis graph [dir] [--format text|json]

  The forward dependency graph (seed 003 get_dependency_graph): for every schema, the schemas its foreign keys
  reference. \`aegis deps <schema>\` answers the other way round (who depends on a schema).`,
  async run(args, io) {
    const { values, positionals } = parseOptions('graph', args, { format: { type: 'string' } });
    const format = pickFormat('graph', stringOption(values, 'format'), ['text', 'json'] as const);
    const graph = buildGraph(await loadRegistryFromDisk(positionals[0], io.cwd));
    const entries = graph.nodes.map((name) => [name, graph.dependencies(name)] as const);
    if (format === 'json') {
      io.stdout(JSON.stringify({ graph: Object.fromEntries(entries) }, null, 2) + '\n');
      return EXIT.clean;
    }
    const lines = entries.map(([name, deps]) => `${name} depends on: ${deps.length ? deps.join(', ') : 'nothing'}`);
    io.stdout(lines.join('\n') + '\n');
    return EXIT.clean;
  },
};
