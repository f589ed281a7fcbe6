import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Harness } from '../bot/harness.js';

const read = (file: string): string => readFileSync(new URL(`../../ops/${file}`, import.meta.url), 'utf8');
const ALERTS = parse(read('prometheus/aegis-alerts.yml')) as { groups: { rules: { alert: string; expr: string }[] }[] };
const DASHBOARD = JSON.parse(read('grafana/aegis-dashboard.json')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};

/** The metric families an expression reads (histogram series named by their family). */
function familiesIn(expr: string): string[] {
  return [...expr.matchAll(/\baegis_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ''));
}

/** Issue 16 item 10: the shipped dashboard and alert rules use only metrics the running app serves. */
describe('ops/: the dashboard and alert rules read what the app exposes', () => {
  let h: Harness;
  let exposed: Set<string>;
  beforeAll(async () => {
    h = await Harness.start();
    const text = await (await fetch(`${h.bot.url}/metrics`)).text();
    exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string));
  });
  afterAll(async () => {
    await h.close();
  });

  it('every alert rule uses metrics the app exposes, and covers what seed 004 §6.3 asks to watch', () => {
    const rules = ALERTS.groups.flatMap((g) => g.rules);
    for (const rule of rules)
      for (const family of familiesIn(rule.expr)) expect(exposed, `${rule.alert}: ${family}`).toContain(family);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'AegisBranchStuckLockedForWrite',
        'AegisLockConflictsRising',
        'AegisIndexingFailures',
        'AegisOutboxBacklog',
        'AegisParkedEvents',
      ]),
    );
  });

  it('every dashboard panel reads metrics the app exposes', () => {
    const used = DASHBOARD.panels.flatMap((p) => p.targets.flatMap((t) => familiesIn(t.expr).map((f) => [p.title, f])));
    expect(used.length).toBeGreaterThanOrEqual(DASHBOARD.panels.length);
    for (const [title, family] of used) expect(exposed, `${title}: ${family}`).toContain(family);
  });
});
