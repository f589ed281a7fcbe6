import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeCase, runCase, type CaseResult, type Outcome } from './oracle/run-case.js';
import { documentedRules, lintScripts } from './squawk.js';

// A property-based oracle: random registries and changes, applied with rows on the local PostgreSQL.
// AEGIS_PROP_SEED=<seed> reproduces a run (its first case has that seed); AEGIS_PROP_CASES sets how many.
const seed = Number(process.env.AEGIS_PROP_SEED ?? randomInt(1, 2 ** 31 - 1));
const cases = Number(process.env.AEGIS_PROP_CASES ?? 24);

/** Outcomes that are never right: the oracle's findings. */
const FAILURES: Outcome[] = [
  'rejected plan',
  'catalog mismatch',
  'silent data change',
  'refusal changed something',
  'stranded',
];

describe('migration oracle: base + plan ≡ head, data kept, refusals change nothing (PostgreSQL)', () => {
  it(`${cases} random changes from seed ${seed}`, { timeout: 60_000 + cases * 15_000 }, async () => {
    console.log(
      `migration oracle: seed ${seed}, ${cases} cases (reproduce: AEGIS_PROP_SEED=${seed} pnpm exec vitest run test/migrate/migration-oracle.test.ts)`,
    );
    const results: CaseResult[] = [];
    for (let i = 0; i < cases; i++) results.push(await runCase(seed + i));
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    console.log(`migration oracle: ${JSON.stringify(counts)}`);
    const refusals = results.filter((r) => r.outcome === 'refused by data');
    for (const r of refusals)
      console.log(`  refused (seed ${r.seed}): ${/failed: (.*?)\. Everything/.exec(r.detail ?? '')?.[1] ?? ''}`);
    const failures = results.filter((r) => FAILURES.includes(r.outcome));
    const explained = await Promise.all(
      failures
        .slice(0, 3)
        .map(async (r) => `seed ${r.seed}: ${r.outcome}: ${r.detail ?? ''}\n${await describeCase(r.seed)}`),
    );
    expect(explained).toEqual([]);
    // Squawk lints every script the run applied: each rule it raises is explained in docs/migrations-apply.md.
    const findings = await lintScripts(results.flatMap((r) => (r.script ? [r.script] : [])));
    const documented = await documentedRules();
    expect([...new Set(findings.map((f) => f.rule_name))].filter((rule) => !documented.has(rule))).toEqual([]);
    // The run proved something: most cases reached the database and applied.
    expect(counts.applied ?? 0).toBeGreaterThan(cases / 3);
  });
});
