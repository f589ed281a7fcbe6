import { describe, expect, it } from 'vitest';
import { locate } from '../../../../test/helpers/locate.js';
import { validateFixture } from '../test-support/fixtures.js';

describe('single-file checks', () => {
  it('name-mismatch: the name differs from the file name, with the file name as the suggestion', async () => {
    const fixture = await validateFixture('names');
    expect(fixture.found('customers.yaml')).toEqual([
      {
        code: 'name-mismatch',
        message: 'Schema name "customer" does not match the file name "customers"',
        range: locate(fixture.text('customers.yaml')).line('name: customer').range('customer'),
      },
    ]);
    expect(fixture.diagnostics.get('.kiro/schemas/customers.yaml')?.[0]?.data).toEqual({ suggestion: 'customers' });
  });

  it('missing-primary-key: a warning on the schema name', async () => {
    const fixture = await validateFixture('names');
    const [warning] = fixture.diagnostics.get('.kiro/schemas/events.yaml') ?? [];
    expect(warning).toMatchObject({
      code: 'missing-primary-key',
      severity: 'warning',
      message: 'Schema "events" has no primary key column',
      range: locate(fixture.text('events.yaml')).line('name: events').range('events'),
    });
    expect(warning?.hint).toMatch(/primary_key: true/);
  });

  it('duplicate-column and duplicate-index: the repeat is reported, related to the first', async () => {
    const fixture = await validateFixture('duplicates');
    const at = locate(fixture.text('accounts.yaml'));
    expect(fixture.found('accounts.yaml')).toEqual([
      {
        code: 'duplicate-column',
        message: 'Column "balance" is declared more than once in "accounts"',
        range: at.line('name: balance', 2).range('balance'),
      },
      {
        code: 'duplicate-index',
        message: 'Index "idx_accounts_balance" is declared more than once in "accounts"',
        range: at.line('name: idx_accounts_balance', 2).range('idx_accounts_balance'),
      },
    ]);
    const [column] = fixture.diagnostics.get('.kiro/schemas/accounts.yaml') ?? [];
    expect(column?.related).toEqual([
      {
        file: '.kiro/schemas/accounts.yaml',
        range: at.line('name: balance').range('balance'),
        message: 'First declaration of "balance"',
      },
    ]);
  });

  it('fk-column-missing, set-null-on-not-null and index-unknown-column, with did-you-mean', async () => {
    const fixture = await validateFixture('references');
    const at = locate(fixture.text('orders.yaml'));
    const local = fixture
      .found('orders.yaml')
      .filter((d) => ['fk-column-missing', 'set-null-on-not-null', 'index-unknown-column'].includes(d.code));
    expect(local).toEqual([
      {
        code: 'fk-column-missing',
        message: 'foreign_key "buyer_idd" is not a column of "orders"',
        range: at.line('foreign_key: buyer_idd').range('buyer_idd'),
      },
      {
        code: 'set-null-on-not-null',
        message: 'on_delete: SET NULL on "buyer_id", which is not nullable',
        range: at.line('on_delete: SET NULL', 2).range('SET NULL'),
      },
      {
        code: 'set-null-on-not-null',
        message: 'on_update: SET NULL on "buyer_id", which is not nullable',
        range: at.line('on_update: SET NULL').range('SET NULL'),
      },
      {
        code: 'index-unknown-column',
        message: 'Index "idx_orders_buyer" lists "byer_email", which is not a column of "orders"',
        range: at.line('byer_email').range('byer_email'),
      },
    ]);
    const byCode = new Map(fixture.diagnostics.get('.kiro/schemas/orders.yaml')?.map((d) => [d.code, d]));
    expect(byCode.get('fk-column-missing')?.data).toEqual({ suggestion: 'buyer_id' });
    expect(byCode.get('index-unknown-column')?.data).toEqual({ suggestion: 'buyer_email' });
    expect(byCode.get('set-null-on-not-null')?.hint).toBe(
      'Make "buyer_id" nullable: true, or use RESTRICT, CASCADE or NO ACTION.',
    );
  });
});
