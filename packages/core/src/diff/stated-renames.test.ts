import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Registry } from '../model.js';
import { changePlan } from '../sql/change-plan.js';
import { diffDiagnostics } from './diff-diagnostics.js';
import { diffRegistries } from './diff-registries.js';

const load = (files: Record<string, string>): Promise<Registry> =>
  loadRegistry(memoryFileSource(Object.fromEntries(Object.entries(files).map(([k, v]) => [`s/${k}.yaml`, v]))));

const accounts = (version: string, columns: string[], top = ''): string =>
  [
    'name: accounts',
    top,
    'owner: account-service',
    `version: ${version}`,
    'columns:',
    '  - { name: id, type: INTEGER, nullable: false, primary_key: true }',
    ...columns,
    '',
  ]
    .filter((l) => l !== '')
    .join('\n') + '\n';

const sqlOf = async (base: Record<string, string>, head: Record<string, string>): Promise<string[]> =>
  changePlan(await load(base), await load(head)).map((s) => s.sql);

describe('renames by stated intent (renamed_from)', () => {
  it('dropping password_hash and adding public_bio of the same type is never a rename', async () => {
    const base = { accounts: accounts('1.0.0', ['  - { name: password_hash, type: TEXT, nullable: true }']) };
    const head = { accounts: accounts('2.0.0', ['  - { name: public_bio, type: TEXT, nullable: true }']) };
    const steps = changePlan(await load(base), await load(head));
    expect(steps.map((s) => [s.sql, s.destructive])).toEqual([
      ['ALTER TABLE accounts DROP COLUMN password_hash;', true],
      ['ALTER TABLE accounts ADD COLUMN public_bio TEXT;', false],
    ]);
  });

  it('a stated rename next to an added and a dropped column stays a rename', async () => {
    const base = {
      accounts: accounts('1.0.0', [
        '  - { name: legacy, type: TEXT, nullable: true }',
        '  - { name: mail, type: TEXT, nullable: false, unique: true }',
      ]),
    };
    const head = {
      accounts: accounts('2.0.0', [
        '  - { name: added, type: TEXT, nullable: true }',
        '  - { name: email, type: VARCHAR(320), nullable: false, unique: true, renamed_from: mail }',
      ]),
    };
    expect(await sqlOf(base, head)).toEqual([
      'ALTER TABLE accounts RENAME COLUMN mail TO email;',
      'ALTER TABLE accounts RENAME CONSTRAINT accounts_mail_key TO accounts_email_key;',
      'ALTER TABLE accounts DROP COLUMN legacy;',
      'ALTER TABLE accounts ALTER COLUMN email TYPE VARCHAR(320);',
      'ALTER TABLE accounts ADD COLUMN added TEXT;',
    ]);
  });

  it('a table renamed with renamed_from keeps its rows; references to it follow without being re-made', async () => {
    const orders = (target: string): string =>
      `name: orders\nowner: o\nversion: 1.0.0\ncolumns:\n  - { name: id, type: INTEGER, primary_key: true }\n  - { name: account_id, type: INTEGER, nullable: true }\nreferences:\n  - { schema: ${target}, column: id, foreign_key: account_id }\n`;
    const base = { accounts: accounts('1.0.0', []), orders: orders('accounts') };
    const head = {
      customers: accounts('2.0.0', [], 'renamed_from: accounts').replace('name: accounts', 'name: customers'),
      orders: orders('customers'),
    };
    const diff = diffRegistries(await load(base), await load(head));
    expect(diff.changes.map((c) => `${c.kind} ${c.schema}`)).toEqual(['schema-renamed customers']);
    expect(await sqlOf(base, head)).toEqual([
      'ALTER TABLE accounts RENAME TO customers;',
      'ALTER TABLE customers RENAME CONSTRAINT accounts_pkey TO customers_pkey;',
    ]);
  });

  it('renamed_from must name something the base has and the head no longer has', async () => {
    const base = await load({ accounts: accounts('1.0.0', ['  - { name: mail, type: TEXT, nullable: true }']) });
    const head = await load({
      accounts: accounts('2.0.0', [
        '  - { name: mail, type: TEXT, nullable: true }',
        '  - { name: email, type: TEXT, nullable: true, renamed_from: mail }',
        '  - { name: phone, type: TEXT, nullable: true, renamed_from: telephone }',
      ]),
    });
    const diff = diffRegistries(base, head);
    expect(diff.changes.map((c) => `${c.kind} ${c.subject ?? ''}`)).toEqual([
      'column-added email',
      'column-added phone',
    ]);
    const found = [...diffDiagnostics(base, head, diff).values()].flat().filter((d) => d.code === 'invalid-rename');
    expect(found.map((d) => d.message)).toEqual([
      'renamed_from: mail names a column that still exists',
      'renamed_from: telephone names no column of the base (schema accounts in the base)',
    ]);
    // Once the rename is in the base, the line is history: nothing to rename, nothing to report.
    expect(diffRegistries(head, head).renames.problems).toEqual([]);
  });
});
