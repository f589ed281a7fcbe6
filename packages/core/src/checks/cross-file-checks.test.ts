import { describe, expect, it } from 'vitest';
import { locate } from '../../../../test/helpers/locate.js';
import { validateFixture } from '../test-support/fixtures.js';
import { crossFileDiagnostics } from '../validate/cross-file-diagnostics.js';

describe('cross-file checks', () => {
  it('unknown-schema, unknown-column, fk-type-mismatch and reference-not-unique, on the exact nodes', async () => {
    const fixture = await validateFixture('references');
    const at = locate(fixture.text('orders.yaml'));
    const cross = fixture
      .found('orders.yaml')
      .filter((d) => ['unknown-schema', 'unknown-column', 'fk-type-mismatch', 'reference-not-unique'].includes(d.code));
    expect(cross).toEqual([
      {
        code: 'unknown-schema',
        message: 'Schema "userz" does not exist',
        range: at.line('schema: userz').range('userz'),
      },
      {
        code: 'unknown-column',
        message: 'Column "uuid" does not exist in schema "users"',
        range: at.line('column: uuid').range('uuid'),
      },
      {
        code: 'unknown-column',
        message: 'Column "emial" does not exist in schema "users"',
        range: at.line('column: emial').range('emial'),
      },
      {
        code: 'fk-type-mismatch',
        message: 'foreign_key "seller_id" is VARCHAR(36) but users.id is UUID',
        range: at.line('foreign_key: seller_id').range('seller_id'),
      },
      {
        code: 'reference-not-unique',
        message: 'users.display_name is neither a primary key nor unique, so it cannot be referenced',
        range: at.line('column: display_name').range('display_name'),
      },
    ]);
    const all = fixture.diagnostics.get('.kiro/schemas/orders.yaml') ?? [];
    const unknown = all.find((d) => d.code === 'unknown-schema');
    expect(unknown?.data).toEqual({ suggestion: 'users', missingSchema: 'userz' });
    expect(unknown?.hint).toBe('Did you mean "users"? Otherwise create .kiro/schemas/userz.yaml.');
    expect(all.find((d) => d.message.includes('"emial"'))?.data).toEqual({ suggestion: 'email' });
    expect(all.find((d) => d.message.includes('"uuid"'))?.hint).toBe('Reference the primary key "id".');
    const users = locate(fixture.text('users.yaml'));
    expect(all.find((d) => d.code === 'fk-type-mismatch')?.related).toEqual([
      {
        file: '.kiro/schemas/orders.yaml',
        range: at.line('type: VARCHAR(36)').range('VARCHAR(36)'),
        message: '"seller_id" is declared VARCHAR(36)',
      },
      {
        file: '.kiro/schemas/users.yaml',
        range: users.line('type: UUID').range('UUID'),
        message: 'users.id is declared UUID',
      },
    ]);
    // varchar( 100 ) = VARCHAR(100), int = INTEGER, and a single-column unique index makes legacy_id referenceable.
    expect(all.some((d) => d.message.includes('buyer_name') && d.code === 'fk-type-mismatch')).toBe(false);
    expect(all.some((d) => d.message.includes('legacy_id'))).toBe(false);
    expect(fixture.found('users.yaml')).toEqual([]);
  });

  it('reference-not-unique: part of a composite primary key is not unique on its own', async () => {
    const fixture = await validateFixture('references');
    expect(fixture.found('grants.yaml')).toEqual([
      {
        code: 'reference-not-unique',
        message:
          'memberships.user_id is only part of a composite primary key, not unique on its own, so it cannot be referenced',
        range: locate(fixture.text('grants.yaml')).line('column: user_id').range('user_id'),
      },
    ]);
    expect(fixture.found('memberships.yaml')).toEqual([]);
  });

  it('unknown-schema: a target file that exists but does not load is named, not to be created', async () => {
    const fixture = await validateFixture('broken-target');
    expect(fixture.found('orders.yaml')).toEqual([
      {
        code: 'unknown-schema',
        message: 'Schema "users" could not be loaded: .kiro/schemas/users.yaml has errors',
        range: locate(fixture.text('orders.yaml')).line('schema: users').range('users'),
      },
    ]);
    const [diagnostic] = fixture.diagnostics.get('.kiro/schemas/orders.yaml') ?? [];
    expect(diagnostic?.data).toBeUndefined();
    expect(diagnostic?.hint).toBe(
      'Fix the errors in .kiro/schemas/users.yaml; this reference is checked once it loads.',
    );
    expect(diagnostic?.related).toEqual([
      {
        file: '.kiro/schemas/users.yaml',
        range: locate(fixture.text('users.yaml')).line('- { name: id').range('{'),
        message: 'Flow map in block collection must be sufficiently indented and end with a }',
      },
    ]);
  });

  it('duplicate-schema: every file declaring the name is told about the others', async () => {
    const fixture = await validateFixture('duplicates');
    const people = fixture.diagnostics.get('.kiro/schemas/people.yaml') ?? [];
    expect(fixture.found('people.yaml')).toEqual([
      {
        code: 'duplicate-schema',
        message: 'Schema "users" is also declared in .kiro/schemas/users.yaml',
        range: locate(fixture.text('people.yaml')).line('name: users').range('users'),
      },
      {
        code: 'name-mismatch',
        message: 'Schema name "users" does not match the file name "people"',
        range: locate(fixture.text('people.yaml')).line('name: users').range('users'),
      },
    ]);
    expect(people[0]?.related?.[0]?.file).toBe('.kiro/schemas/users.yaml');
    expect(fixture.found('users.yaml')).toEqual([
      {
        code: 'duplicate-schema',
        message: 'Schema "users" is also declared in .kiro/schemas/people.yaml',
        range: locate(fixture.text('users.yaml')).line('name: users').range('users'),
      },
    ]);
    // The file named after the schema wins the name.
    expect(fixture.registry.schemas.get('users')?.file).toBe('.kiro/schemas/users.yaml');
  });

  it('cycle: each member reports the whole path on its reference line; self-references are fine', async () => {
    const fixture = await validateFixture('cycle');
    const line = (file: string, target: string) => locate(fixture.text(file)).line(`schema: ${target}`).range(target);
    expect(fixture.found('teams.yaml')).toEqual([
      {
        code: 'cycle',
        message: 'Foreign keys form a cycle: teams -> members -> projects -> teams',
        range: line('teams.yaml', 'members'),
      },
    ]);
    expect(fixture.found('members.yaml')).toEqual([
      {
        code: 'cycle',
        message: 'Foreign keys form a cycle: members -> projects -> teams -> members',
        range: line('members.yaml', 'projects'),
      },
    ]);
    expect(fixture.found('projects.yaml')).toEqual([
      {
        code: 'cycle',
        message: 'Foreign keys form a cycle: projects -> teams -> members -> projects',
        range: line('projects.yaml', 'teams'),
      },
    ]);
    expect(fixture.found('employees.yaml')).toEqual([]);
    expect(fixture.found('departments.yaml')).toEqual([]);
    const teams = fixture.diagnostics.get('.kiro/schemas/teams.yaml')?.[0];
    expect(teams?.related).toEqual([
      { file: '.kiro/schemas/members.yaml', range: line('members.yaml', 'projects'), message: 'members -> projects' },
      { file: '.kiro/schemas/projects.yaml', range: line('projects.yaml', 'teams'), message: 'projects -> teams' },
    ]);
  });

  it('crossFileDiagnostics checks only the files asked for, with an entry for each', async () => {
    const fixture = await validateFixture('cycle');
    const result = crossFileDiagnostics(fixture.registry, ['.kiro/schemas/teams.yaml', '.kiro/schemas/users.yaml']);
    expect([...result.keys()]).toEqual(['.kiro/schemas/teams.yaml', '.kiro/schemas/users.yaml']);
    expect(result.get('.kiro/schemas/teams.yaml')?.map((d) => d.code)).toEqual(['cycle']);
    expect(result.get('.kiro/schemas/users.yaml')).toEqual([]);
  });
});
