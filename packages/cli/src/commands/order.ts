import { orderPlan, type OrderPlan } from '@aegis/core';
import { EXIT, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { loadRegistryFromDisk } from '../registry-input.js';

/** What a cycle does to the order, for people: the cycle, then each foreign key the order adds afterwards. */
function explainCycles(plan: OrderPlan): string[] {
  const lines = plan.cycles.map(
    (c) => `cycle: ${c.join(' → ')}: these tables cannot all be created with their foreign keys`,
  );
  lines.push('The order breaks it by creating the tables first and adding these foreign keys afterwards');
  lines.push('(ALTER TABLE … ADD CONSTRAINT, as `aegis migrate` writes them):');
  for (const d of plan.deferred) lines.push(`  ${d.schema}.${d.foreignKey} → ${d.references}.${d.column}`);
  lines.push('Remove one of these references (or make it nullable and fill it later) to break the cycle for good.');
  return lines;
}

export const orderCommand: Command = {
  name: 'order',
  usage: `aegis order [dir] [--format text|json]

  The order in which to create the tables (referenced tables first). When foreign keys form a cycle, it names
  the cycle and the foreign keys the order adds after the tables exist, and exits 1.`,
  async run(args, io) {
    const { values, positionals } = parseOptions('order', args, { format: { type: 'string' } });
    const format = pickFormat('order', stringOption(values, 'format'), ['text', 'json'] as const);
    const registry = await loadRegistryFromDisk(positionals[0], io.cwd);
    const plan = orderPlan(registry);
    const order = plan.order.map((name) => ({ name, owner: registry.schemas.get(name)?.owner?.value ?? '' }));
    if (format === 'json')
      io.stdout(JSON.stringify({ order, cycles: plan.cycles, deferred: plan.deferred }, null, 2) + '\n');
    else {
      io.stdout(order.map((s, i) => `${i + 1}. ${s.name}${s.owner ? ` (${s.owner})` : ''}`).join('\n') + '\n');
      if (plan.cycles.length > 0) io.stderr(explainCycles(plan).join('\n') + '\n');
    }
    return plan.cycles.length > 0 ? EXIT.findings : EXIT.clean;
  },
};
