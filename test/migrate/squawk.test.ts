import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { changePlan, createPlan, renderSqlScript } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { generate, load } from './oracle/run-case.js';
import { Random } from '../helpers/random.js';
import { registryFiles } from './oracle/registry-model.js';
import { documentedRules, lintScripts } from './squawk.js';

const seed = Number(process.env.AEGIS_PROP_SEED ?? randomInt(1, 2 ** 31 - 1));

/** The registry of a fixture side of test/git (the example change of the SQL suite). */
function fixture(side: 'base' | 'head'): Record<string, string> {
  const dir = new URL(`../git/__fixtures__/migration/${side}/`, import.meta.url);
  return Object.fromEntries(
    readdirSync(dir).map((f) => [f.replace(/\.yaml$/, ''), readFileSync(new URL(f, dir), 'utf8')]),
  );
}

describe('Squawk on the generated scripts', () => {
  it(`raises only rules docs/migrations-apply.md explains (80 random changes from seed ${seed}, and the fixtures)`, async () => {
    console.log(
      `squawk: seed ${seed} (reproduce: AEGIS_PROP_SEED=${seed} pnpm exec vitest run test/migrate/squawk.test.ts)`,
    );
    const [base, head] = [await load(fixture('base')), await load(fixture('head'))];
    const scripts = [createPlan(base), changePlan(base, head), createPlan(head)].map(renderSqlScript);
    for (let i = 0; i < 80; i++) {
      const generated = await generate(new Random(seed + i));
      if (!generated) continue;
      const [b, h] = [await load(registryFiles(generated.base)), await load(registryFiles(generated.head))];
      scripts.push(renderSqlScript(createPlan(b)), renderSqlScript(changePlan(b, h)));
    }
    const findings = await lintScripts(scripts);
    const documented = await documentedRules();
    const unexplained = findings.filter((f) => !documented.has(f.rule_name)).map((f) => `${f.rule_name}: ${f.message}`);
    expect(unexplained).toEqual([]);
    // The rules the planner itself answers for never fire: timeouts, NOT VALID, CONCURRENTLY, re-runnable indexes.
    const fired = new Set(findings.map((f) => f.rule_name));
    for (const rule of [
      'require-timeout-settings',
      'require-lock-timeout',
      'require-statement-timeout',
      'constraint-missing-not-valid',
      'require-concurrent-index-creation',
      'disallowed-unique-constraint',
      'adding-foreign-key-constraint',
    ])
      expect(fired.has(rule), rule).toBe(false);
    // It found something to explain: Squawk really ran on these scripts.
    expect(findings.length).toBeGreaterThan(0);
  });
});
