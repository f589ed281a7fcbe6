import { describe, expect, it } from 'vitest';
import { changePlan, loadRegistry, memoryFileSource, type MigrationStep } from '@aegis/core';
import { splitPhases } from './split-phases.js';

const step = (schema: string, sql: string, transactional = true): MigrationStep => ({
  schema,
  owner: `${schema}-service`,
  sql,
  destructive: false,
  transactional,
});
const phases = (steps: MigrationStep[]): string[] =>
  splitPhases(steps).map((s) => `${s.position} ${s.phase === 'transaction' ? 'tx' : 'after'} ${s.sql}`);

describe('splitPhases', () => {
  it('keeps a create plan in the transaction and numbers the steps', () => {
    expect(
      phases([step('users', 'CREATE TABLE users (id int);'), step('users', 'CREATE INDEX idx_u ON users (id);')]),
    ).toEqual(['1 tx CREATE TABLE users (id int);', '2 tx CREATE INDEX idx_u ON users (id);']);
  });

  it('runs concurrent statements after the commit, and unrelated later steps still in the transaction', () => {
    expect(
      phases([
        step('users', 'CREATE INDEX CONCURRENTLY idx_a ON users (a);', false),
        step('orders', 'ALTER TABLE orders ADD COLUMN note text;'),
      ]),
    ).toEqual([
      '1 after CREATE INDEX CONCURRENTLY idx_a ON users (a);',
      '2 tx ALTER TABLE orders ADD COLUMN note text;',
    ]);
  });

  it('defers a key attached USING a concurrent index, foreign keys to that table, and their VALIDATE', () => {
    expect(
      phases([
        step('users', 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);', false),
        step('users', 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;'),
        step(
          'orders',
          'ALTER TABLE orders ADD CONSTRAINT orders_email_fkey FOREIGN KEY (email) REFERENCES users (email) NOT VALID;',
        ),
        step('orders', 'ALTER TABLE orders VALIDATE CONSTRAINT orders_email_fkey;'),
        step(
          'orders',
          'ALTER TABLE orders ADD CONSTRAINT orders_item_fkey FOREIGN KEY (item) REFERENCES items (id) NOT VALID;',
        ),
      ]),
    ).toEqual([
      '1 after CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);',
      '2 after ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
      '3 after ALTER TABLE orders ADD CONSTRAINT orders_email_fkey FOREIGN KEY (email) REFERENCES users (email) NOT VALID;',
      '4 after ALTER TABLE orders VALIDATE CONSTRAINT orders_email_fkey;',
      '5 tx ALTER TABLE orders ADD CONSTRAINT orders_item_fkey FOREIGN KEY (item) REFERENCES items (id) NOT VALID;',
    ]);
  });

  it('pulls a concurrent drop into the transaction when a new index takes its name', () => {
    const planned = splitPhases([
      step('old', 'DROP INDEX CONCURRENTLY IF EXISTS idx_shared;', false),
      step('fresh', 'CREATE INDEX idx_shared ON fresh (a);'),
    ]);
    expect(planned.map((s) => [s.phase, s.sql, s.transactional])).toEqual([
      ['transaction', 'DROP INDEX IF EXISTS idx_shared;', true],
      ['transaction', 'CREATE INDEX idx_shared ON fresh (a);', true],
    ]);
    expect(planned[0]?.note).toContain('without CONCURRENTLY');
  });

  it('splits a real change plan that adds a unique column and a foreign key to it', async () => {
    const load = (files: Record<string, string>) => loadRegistry(memoryFileSource(files));
    const users = (unique: boolean): string =>
      `name: users\nowner: user-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: BIGINT, nullable: false, primary_key: true }\n  - { name: email, type: TEXT, nullable: false${unique ? ', unique: true' : ''} }\n`;
    const orders = (fk: boolean): string =>
      `name: orders\nowner: order-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: BIGINT, nullable: false, primary_key: true }\n  - { name: email, type: TEXT, nullable: true }\n  - { name: note, type: TEXT, nullable: ${fk ? 'true' : 'false'} }\n` +
      (fk ? 'references:\n  - { schema: users, column: email, foreign_key: email }\n' : '');
    const base = await load({ 'users.yaml': users(false), 'orders.yaml': orders(false) });
    const head = await load({ 'users.yaml': users(true), 'orders.yaml': orders(true) });
    const planned = splitPhases(changePlan(base, head));
    const byPhase = (phase: string): string[] =>
      planned.filter((s) => s.phase === phase).map((s) => s.sql.split(' ').slice(0, 4).join(' '));
    // The guards (duplicates in users.email, orders.email without a match) refuse before anything commits.
    expect(byPhase('transaction')).toEqual(['ALTER TABLE orders ALTER', 'DO $aegis$ BEGIN IF', 'DO $aegis$ BEGIN IF']);
    expect(byPhase('after-commit')).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY',
      'ALTER TABLE users ADD',
      'ALTER TABLE orders ADD',
      'ALTER TABLE orders VALIDATE',
    ]);
  });

  it('a new table whose foreign key needs a key built after the commit goes after it, with its indexes and dependents', () => {
    expect(
      phases([
        step('users', 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);', false),
        step('users', 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;'),
        step(
          'subs',
          'CREATE TABLE subs (\n  email text,\n  CONSTRAINT subs_email_fkey FOREIGN KEY (email) REFERENCES users (email)\n);',
        ),
        step('subs', 'CREATE INDEX idx_subs_email ON subs (email);'),
        step(
          'notes',
          'CREATE TABLE notes (\n  sub text,\n  CONSTRAINT notes_sub_fkey FOREIGN KEY (sub) REFERENCES subs (email)\n);',
        ),
        step('other', 'CREATE TABLE other (id int);'),
      ]).map((line) => line.split('\n')[0]),
    ).toEqual([
      '1 after CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);',
      '2 after ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
      '3 after CREATE TABLE subs (',
      '4 after CREATE INDEX idx_subs_email ON subs (email);',
      '5 after CREATE TABLE notes (',
      '6 tx CREATE TABLE other (id int);',
    ]);
  });

  it('matches tables whose names the SQL quotes (reserved words)', () => {
    expect(
      phases([
        step('order', 'CREATE UNIQUE INDEX CONCURRENTLY order_code_key ON "order" (code);', false),
        step('order', 'ALTER TABLE "order" ADD CONSTRAINT order_code_key UNIQUE USING INDEX order_code_key;'),
        step(
          'line',
          'ALTER TABLE line ADD CONSTRAINT line_code_fkey FOREIGN KEY (code) REFERENCES "order" (code) NOT VALID;',
        ),
      ]).map((line) => line.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['1 after', '2 after', '3 after']);
  });
});
