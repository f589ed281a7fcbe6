import { describe, expect, it } from 'vitest';
import { locate } from '../../../../test/helpers/locate.js';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Range } from '../position.js';
import { exampleFiles, validateFixture } from '../test-support/fixtures.js';
import { validateRegistry } from './validate-registry.js';

describe('validateRegistry', () => {
  it('finds nothing in the dogfood registry (.kiro/schemas) and lists every file', async () => {
    const diagnostics = validateRegistry(await loadRegistry(memoryFileSource(exampleFiles())));
    expect([...diagnostics.keys()]).toEqual([
      '.kiro/schemas/applications.yaml',
      '.kiro/schemas/audit_logs.yaml',
      '.kiro/schemas/policies.yaml',
      '.kiro/schemas/registry.yaml',
      '.kiro/schemas/users.yaml',
    ]);
    expect([...diagnostics.values()].flat()).toEqual([]);
  });

  it('reports all twenty mistakes of one registry in one run', async () => {
    const fixture = await validateFixture('twenty-mistakes');
    const orders = locate(fixture.text('orders.yaml'));
    const expected: [file: string, code: string, message: string, range: Range][] = [
      [
        'broken.yaml',
        'yaml-syntax',
        'Flow sequence in block collection must be sufficiently indented and end with a ]',
        locate(fixture.text('broken.yaml')).line('columns: [').range('['),
      ],
      [
        'bomb.yaml',
        'yaml-limit',
        'Aliases expand more than 100 times (Excessive alias count indicates a resource exhaustion attack)',
        locate(fixture.text('bomb.yaml')).line('a1: &a1').range('*'),
      ],
      [
        'orders.yaml',
        'invalid-field',
        '"version" in the schema must be text, not number 1',
        orders.line('version: 1.0').range('1.0'),
      ],
      ['orders.yaml', 'invalid-field', 'Unknown field "colour" in the schema', orders.line('colour').range('colour')],
      [
        'orders.yaml',
        'invalid-field',
        'Column "note" is missing the required field "type"',
        orders.line('name: note').content(),
      ],
      [
        'orders.yaml',
        'invalid-field',
        'Column name "Total Amount" is not valid',
        orders.line('Total Amount').range('Total Amount'),
      ],
      [
        'orders.yaml',
        'invalid-field',
        '"CASCADES" is not a foreign-key action (on_update in reference "buyer_id")',
        orders.line('CASCADES').range('CASCADES'),
      ],
      [
        'orders.yaml',
        'duplicate-column',
        'Column "buyer_id" is declared more than once in "orders"',
        orders.line('name: buyer_id', 2).range('buyer_id'),
      ],
      [
        'orders.yaml',
        'duplicate-index',
        'Index "idx_orders_buyer" is declared more than once in "orders"',
        orders.line('name: idx_orders_buyer', 2).range('idx_orders_buyer'),
      ],
      ['orders.yaml', 'unknown-schema', 'Schema "user" does not exist', orders.line('schema: user').range('user')],
      [
        'orders.yaml',
        'unknown-column',
        'Column "identifier" does not exist in schema "users"',
        orders.line('identifier').range('identifier'),
      ],
      [
        'orders.yaml',
        'fk-column-missing',
        'foreign_key "coupon_id" is not a column of "orders"',
        orders.line('coupon_id').range('coupon_id'),
      ],
      [
        'orders.yaml',
        'fk-type-mismatch',
        'foreign_key "seller_id" is BIGINT but users.id is UUID',
        orders.line('foreign_key: seller_id').range('seller_id'),
      ],
      [
        'orders.yaml',
        'reference-not-unique',
        'users.display_name is neither a primary key nor unique, so it cannot be referenced',
        orders.line('column: display_name').range('display_name'),
      ],
      [
        'orders.yaml',
        'set-null-on-not-null',
        'on_delete: SET NULL on "buyer_id", which is not nullable',
        orders.line('on_delete: SET NULL').range('SET NULL'),
      ],
      [
        'orders.yaml',
        'index-unknown-column',
        'Index "idx_orders_buyer" lists "seller", which is not a column of "orders"',
        orders.line('columns: [seller]').range('seller'),
      ],
      [
        'shipment.yaml',
        'name-mismatch',
        'Schema name "shipments" does not match the file name "shipment"',
        locate(fixture.text('shipment.yaml')).line('name:').range('shipments'),
      ],
      [
        'shipment.yaml',
        'missing-primary-key',
        'Schema "shipments" has no primary key column',
        locate(fixture.text('shipment.yaml')).line('name:').range('shipments'),
      ],
      [
        'copy_of_users.yaml',
        'duplicate-schema',
        'Schema "users" is also declared in .kiro/schemas/users.yaml',
        locate(fixture.text('copy_of_users.yaml')).line('name:').range('users'),
      ],
      [
        'invoices.yaml',
        'cycle',
        'Foreign keys form a cycle: invoices -> payments -> invoices',
        locate(fixture.text('invoices.yaml')).line('schema: payments').range('payments'),
      ],
      [
        'registry.yaml',
        'invalid-field',
        'Unknown field "maintainer" in registry.yaml',
        locate(fixture.text('registry.yaml')).line('maintainer').range('maintainer'),
      ],
    ];
    for (const [file, code, message, range] of expected) {
      expect(fixture.found(file), `${file}: ${code}`).toContainEqual({ code, message, range });
    }
    expect(new Set(expected.map(([, code, message]) => `${code}:${message}`)).size).toBe(21);
    // Nothing beyond them (the duplicate name also mismatches its file; the cycle is reported from both ends).
    const total = [...fixture.diagnostics.values()].flat().length;
    expect(total).toBe(expected.length + 3);
  });
});
