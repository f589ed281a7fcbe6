import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Registry } from '../model.js';
import { changePlan } from './change-plan.js';
import { createPlan } from './create-plan.js';
import type { MigrationStep } from './migration-step.js';
import { renderSqlScript } from './render-sql-script.js';

const table = (name: string, refs: string[] = [], extra = ''): string =>
  `name: ${name}\nowner: ${name}-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: INTEGER, nullable: false, primary_key: true }\n` +
  refs.map((r) => `  - { name: ${r}_id, type: INTEGER, nullable: true }\n`).join('') +
  extra +
  (refs.length
    ? `references:\n${refs.map((r) => `  - { schema: ${r}, column: id, foreign_key: ${r}_id }\n`).join('')}`
    : '');

const load = (files: Record<string, string>): Promise<Registry> =>
  loadRegistry(
    memoryFileSource(Object.fromEntries(Object.entries(files).map(([n, t]) => [`.kiro/schemas/${n}.yaml`, t]))),
  );

describe('createPlan', () => {
  it('creates referenced tables first, then adds self-references and cycles with ALTER TABLE', async () => {
    const registry = await load({
      c: table('c', ['b']),
      b: table('b', ['a']),
      a: table('a', ['a']),
      x: table('x', ['y']),
      y: table('y', ['x']),
    });
    const steps = createPlan(registry);
    const creates = steps.filter((s) => s.sql.startsWith('CREATE TABLE')).map((s) => s.schema);
    expect(creates).toEqual(['a', 'b', 'c', 'x', 'y']);
    expect(steps.filter((s) => s.sql.startsWith('ALTER TABLE')).map((s) => s.sql)).toEqual([
      'ALTER TABLE a ADD CONSTRAINT a_a_id_fkey FOREIGN KEY (a_id) REFERENCES a (id);',
      'ALTER TABLE x ADD CONSTRAINT x_y_id_fkey FOREIGN KEY (y_id) REFERENCES y (id);',
    ]);
    expect(steps.every((s) => s.transactional && !s.destructive && s.owner === `${s.schema}-service`)).toBe(true);
    expect(steps.find((s) => s.schema === 'y')?.sql).toContain(
      'CONSTRAINT y_x_id_fkey FOREIGN KEY (x_id) REFERENCES x (id)',
    );
  });

  it('quotes reserved words and keeps SQL types PostgreSQL understands', async () => {
    const registry = await load({
      user: 'name: user\nowner: s\nversion: 1.0.0\ncolumns:\n  - { name: order, type: "decimal( 15, 2 )", nullable: true }\n  - { name: at, type: datetime, nullable: true }\n',
    });
    expect(createPlan(registry)[0]?.sql).toBe('CREATE TABLE "user" (\n  "order" NUMERIC(15,2),\n  at TIMESTAMP\n);');
  });
});

describe('changePlan', () => {
  it('marks destructive steps, builds indexes concurrently outside transactions and adds NOT NULL through a check', async () => {
    const base = await load({
      a: table(
        'a',
        [],
        '  - { name: note, type: TEXT, nullable: true }\n  - { name: code, type: VARCHAR(10), nullable: true }\n',
      ),
    });
    const head = await load({
      a:
        table('a', [], '  - { name: code, type: VARCHAR(5), nullable: false }\n').replace('1.0.0', '2.0.0') +
        'indexes:\n  - { name: idx_a_code, columns: [code] }\n',
    });
    const steps = changePlan(base, head);
    const summary = (s: MigrationStep): unknown[] => [
      s.sql.split('\n')[0],
      s.destructive,
      s.transactional,
      Boolean(s.lockWarning),
      s.ownTransaction ?? false,
    ];
    expect(steps.map(summary)).toEqual([
      ['ALTER TABLE a DROP COLUMN note;', true, true, false, false],
      ['ALTER TABLE a ALTER COLUMN code TYPE VARCHAR(5);', true, true, true, false],
      [
        "DO $aegis$ BEGIN IF EXISTS (SELECT 1 FROM a WHERE code IS NULL) THEN RAISE EXCEPTION 'a.code holds NULLs: NOT NULL refused (fill them in first)'; END IF; END $aegis$;",
        false,
        true,
        false,
        false,
      ],
      ['ALTER TABLE a ADD CONSTRAINT a_code_not_null CHECK (code IS NOT NULL) NOT VALID;', false, true, false, false],
      ['ALTER TABLE a VALIDATE CONSTRAINT a_code_not_null;', false, true, false, true],
      ['ALTER TABLE a ALTER COLUMN code SET NOT NULL;', false, true, false, true],
      ['ALTER TABLE a DROP CONSTRAINT a_code_not_null;', false, true, false, true],
      ['CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_a_code ON a (code);', false, false, false, false],
    ]);
    const script = renderSqlScript(steps);
    expect(script.startsWith("SET lock_timeout = '5s';\nSET statement_timeout = '0';\nBEGIN;\n")).toBe(true);
    // The VALIDATE runs in a transaction of its own: the main one (and its ACCESS EXCLUSIVE locks) ended before.
    expect(script).toContain('COMMIT;\nBEGIN;\n-- a (owner: a-service)\n-- NOTE: scans under SHARE UPDATE EXCLUSIVE');
    expect(script.indexOf('COMMIT;')).toBeLessThan(script.indexOf('CREATE INDEX CONCURRENTLY'));
    expect(script).toContain('-- a (owner: a-service) DESTRUCTIVE');
    expect(changePlan(head, head)).toEqual([]);
  });

  it('flags a column added with a volatile default (table rewrite), not one with a constant default', async () => {
    const base = await load({ a: table('a') });
    const head = await load({
      a: table(
        'a',
        [],
        '  - { name: token, type: UUID, nullable: false, default: gen_random_uuid() }\n  - { name: at, type: TIMESTAMP, nullable: false, default: CURRENT_TIMESTAMP }\n',
      ),
    });
    const [token, at] = changePlan(base, head);
    expect(token?.sql).toBe('ALTER TABLE a ADD COLUMN token UUID NOT NULL DEFAULT gen_random_uuid();');
    expect(token?.lockWarning).toMatch(/rewrites the table.*backfill/);
    expect(at?.lockWarning).toBeUndefined();
  });
});
