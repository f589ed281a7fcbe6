import { describe, expect, it } from 'vitest';
import { MigrateError } from './errors.js';
import { assertValid, registryVersionFromFiles } from './registry-version.js';

const schema = (name: string, extra = ''): string =>
  `name: ${name}\nowner: svc\nversion: 1.0.0\ncolumns:\n  - { name: id, type: BIGINT, nullable: false, primary_key: true }\n${extra}`;

describe('assertValid', () => {
  it('accepts a valid registry', async () => {
    const version = await registryVersionFromFiles({ 'a/users.yaml': schema('users') }, { versionHash: 'h' });
    expect(() => assertValid(version)).not.toThrow();
  });

  it('refuses validation errors with the first one located, as a finding (exit 1)', async () => {
    const version = await registryVersionFromFiles(
      { 'a/orders.yaml': schema('orders', 'references:\n  - { schema: nobody, column: id, foreign_key: id }\n') },
      { versionHash: 'h', ref: 'feature' },
    );
    let error: unknown;
    try {
      assertValid(version);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).exitCode).toBe(1);
    expect((error as MigrateError).message).toMatch(
      /^feature has 1 validation error \(first: a\/orders\.yaml:\d+: .*nobody.*\)\. Run aegis validate/,
    );
  });

  it('refuses a schema named like the history table', async () => {
    const version = await registryVersionFromFiles(
      { 'a/aegis_migrations.yaml': schema('aegis_migrations') },
      { versionHash: 'h', ref: 'main' },
    );
    expect(() => assertValid(version)).toThrow(
      /main declares a schema named aegis_migrations, the table aegis keeps its migration history in/,
    );
  });

  it('reuses the parsed form of files that did not change', async () => {
    const first = await registryVersionFromFiles(
      { 'a/users.yaml': schema('users'), 'a/orders.yaml': schema('orders') },
      { versionHash: '1' },
    );
    const second = await registryVersionFromFiles(
      { 'a/users.yaml': schema('users'), 'a/orders.yaml': schema('orders', 'description: changed\n') },
      { versionHash: '2' },
      first,
    );
    expect(second.registry.files.get('a/users.yaml')).toBe(first.registry.files.get('a/users.yaml'));
    expect(second.registry.files.get('a/orders.yaml')).not.toBe(first.registry.files.get('a/orders.yaml'));
    expect(second.registry.schemas.get('orders')?.description).toBe('changed');
  });
});
