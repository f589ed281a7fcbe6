import { describe, expect, it } from 'vitest';
import { formatPlan, formatPlanWarnings, formatStatus } from './format-report.js';
import type { PlannedStep } from './planned-step.js';

const step = (position: number, extra: Partial<PlannedStep> = {}): PlannedStep => ({
  position,
  phase: 'transaction',
  schema: `t${position}`,
  owner: 'svc',
  sql: `CREATE TABLE t${position} (id int);`,
  destructive: false,
  transactional: true,
  ...extra,
});

describe('text reports', () => {
  it('status lists 20 pending steps and summarises the rest', () => {
    const pending = Array.from({ length: 25 }, (_, i) => step(i + 1));
    const text = formatStatus(
      { unfinished: [], pending, upToDate: false, drift: [] },
      { versionHash: 'abcdef0123456789', ref: 'main' },
    );
    expect(text.split('\n')).toEqual([
      'version: none (never migrated by aegis)',
      'pending: 25 steps to main (abcdef012345)',
      ...pending.slice(0, 20).map((s) => `  ${s.position}. ${s.schema} (owner svc): ${s.sql}`),
      '  … and 5 more (--format json lists them all)',
      'drift: none',
      '',
    ]);
  });

  it('the plan script and the warnings carry phase, destructive and lock notes', () => {
    const steps = [
      step(1, {
        sql: 'DROP TABLE old;',
        destructive: true,
        note: 'the table and all its rows are gone',
        schema: 'old',
      }),
      step(2, {
        sql: 'CREATE INDEX CONCURRENTLY i ON t (a);',
        phase: 'after-commit',
        transactional: false,
        lockWarning: 'example lock',
        schema: 't',
      }),
    ];
    expect(formatPlan(steps)).toBe(
      '-- step 1/2: old (owner: svc) [in transaction, DESTRUCTIVE]\n-- NOTE: the table and all its rows are gone\nDROP TABLE old;\n' +
        '-- step 2/2: t (owner: svc) [after commit]\n-- LOCK: example lock\nCREATE INDEX CONCURRENTLY i ON t (a);\n',
    );
    expect(formatPlanWarnings(steps)).toBe(
      'warning: step 1/2 old (owner svc): DROP TABLE old; is DESTRUCTIVE: the table and all its rows are gone\n' +
        'warning: step 2/2 t (owner svc): CREATE INDEX CONCURRENTLY i ON t (a); locks: example lock\n',
    );
  });
});
