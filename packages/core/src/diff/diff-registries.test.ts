import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Registry } from '../model.js';
import { diffDiagnostics } from './diff-diagnostics.js';
import { diffRegistries } from './diff-registries.js';

const users = (version = '1.0.0', columns = '', extra = ''): string => `name: users
owner: user-service
version: ${version}
columns:
  - { name: id, type: UUID, nullable: false, primary_key: true }
  - { name: email, type: VARCHAR(255), nullable: false, unique: true }
  - { name: nickname, type: VARCHAR(50), nullable: true }
  - { name: balance, type: 'DECIMAL(15,2)', nullable: false, default: "0" }
${columns}${extra}`;

const orders = (ref = 'on_delete: RESTRICT', version = '1.0.0'): string => `name: orders
owner: order-service
version: ${version}
columns:
  - { name: id, type: UUID, nullable: false, primary_key: true }
  - { name: user_id, type: UUID, nullable: false }
references:
  - { schema: users, column: id, foreign_key: user_id, ${ref} }
`;

const load = (files: Record<string, string>): Promise<Registry> =>
  loadRegistry(memoryFileSource(Object.fromEntries(Object.entries(files).map(([k, v]) => [`.kiro/schemas/${k}`, v]))));

async function changesOf(headUsers: string, headOrders = orders()) {
  const base = await load({ 'users.yaml': users(), 'orders.yaml': orders() });
  const head = await load({ 'users.yaml': headUsers, 'orders.yaml': headOrders });
  const diff = diffRegistries(base, head);
  return {
    diff,
    base,
    head,
    summary: diff.changes.map((c) => `${c.breaking ? 'BREAKING' : 'ok'} ${c.kind} ${c.schema}.${c.subject ?? ''}`),
  };
}

describe('diffRegistries: classification case by case', () => {
  it.each([
    [
      'VARCHAR(255) → VARCHAR(100) narrows',
      users('2.0.0').replace('VARCHAR(255)', 'VARCHAR(100)'),
      'BREAKING column-type-changed users.email',
    ],
    [
      'VARCHAR(50) → VARCHAR(100) widens',
      users('1.1.0').replace('VARCHAR(50)', 'VARCHAR(100)'),
      'ok column-type-changed users.nickname',
    ],
    ['VARCHAR → TEXT widens', users('1.1.0').replace('VARCHAR(50)', 'TEXT'), 'ok column-type-changed users.nickname'],
    [
      'DECIMAL(15,2) → DECIMAL(10,2) narrows',
      users('2.0.0').replace('DECIMAL(15,2)', 'DECIMAL(10, 2)'),
      'BREAKING column-type-changed users.balance',
    ],
    [
      'DECIMAL(15,2) → NUMERIC(17,4) widens',
      users('1.1.0').replace('DECIMAL(15,2)', 'NUMERIC(17,4)'),
      'ok column-type-changed users.balance',
    ],
    [
      'UUID → TEXT changes kind',
      users('2.0.0').replace('{ name: id, type: UUID', '{ name: id, type: TEXT'),
      'BREAKING column-type-changed users.id',
    ],
    [
      'nullable → NOT NULL without default',
      users('2.0.0').replace('VARCHAR(50), nullable: true', 'VARCHAR(50), nullable: false'),
      'BREAKING column-nullability-changed users.nickname',
    ],
    [
      'nullable → NOT NULL with a default',
      users('1.1.0').replace('VARCHAR(50), nullable: true', 'VARCHAR(50), nullable: false, default: "\'x\'"'),
      'ok column-nullability-changed users.nickname',
      'ok column-default-changed users.nickname',
    ],
    [
      'NOT NULL → nullable',
      users('1.1.0').replace("'DECIMAL(15,2)', nullable: false", "'DECIMAL(15,2)', nullable: true"),
      'ok column-nullability-changed users.balance',
    ],
    [
      'NOT NULL column loses its default',
      users('2.0.0').replace(', default: "0"', ''),
      'BREAKING column-default-changed users.balance',
    ],
    [
      'new unique column constraint',
      users('2.0.0').replace('VARCHAR(50), nullable: true', 'VARCHAR(50), nullable: true, unique: true'),
      'BREAKING column-unique-changed users.nickname',
    ],
    [
      'unique dropped',
      users('1.1.0').replace('nullable: false, unique: true', 'nullable: false'),
      'ok column-unique-changed users.email',
    ],
    [
      'nullable column added',
      users('1.1.0', '  - { name: bio, type: TEXT, nullable: true }\n'),
      'ok column-added users.bio',
    ],
    [
      'NOT NULL column added without default',
      users('2.0.0', '  - { name: tier, type: INTEGER, nullable: false }\n'),
      'BREAKING column-added users.tier',
    ],
    [
      'new unique index',
      users('2.0.0', '', 'indexes:\n  - { name: idx_nick, columns: [nickname], unique: true }\n'),
      'BREAKING index-added users.idx_nick',
    ],
    [
      'new plain index',
      users('1.0.1', '', 'indexes:\n  - { name: idx_nick, columns: [nickname] }\n'),
      'ok index-added users.idx_nick',
    ],
  ])('%s', async (_title, head, ...expected) => {
    const { summary } = await changesOf(head);
    expect(summary).toEqual(expected);
  });

  it('a removed column is breaking and reported on the schema name line', async () => {
    const head = users('2.0.0').replace('  - { name: nickname, type: VARCHAR(50), nullable: true }\n', '');
    const { diff, summary } = await changesOf(head);
    expect(summary).toEqual(['BREAKING column-removed users.nickname']);
    expect(diff.changes[0]?.range.start.line).toBe(0);
  });

  it('a rename is what renamed_from states, nothing else: a same-shaped removal and addition stay apart', async () => {
    const stated = users('2.0.0').replace('name: nickname,', 'name: display_name, renamed_from: nickname,');
    expect((await changesOf(stated)).summary).toEqual(['BREAKING column-renamed users.display_name']);
    const unstated = users('2.0.0').replace('name: nickname', 'name: display_name');
    expect((await changesOf(unstated)).summary).toEqual([
      'BREAKING column-removed users.nickname',
      'ok column-added users.display_name',
    ]);
  });

  it('a changed FK action or target is breaking; a removed reference is not', async () => {
    expect((await changesOf(users(), orders('on_delete: CASCADE', '2.0.0'))).summary).toEqual([
      'BREAKING reference-changed orders.user_id',
    ]);
    const noRef = orders().replace(/references:[\s\S]*$/, '');
    expect((await changesOf(users(), noRef.replace('1.0.0', '1.0.1'))).summary).toEqual([
      'ok reference-removed orders.user_id',
    ]);
  });

  it('a removed schema is breaking, an added one is not; a moved file keeps its identity', async () => {
    const base = await load({ 'users.yaml': users(), 'orders.yaml': orders() });
    const head = await load({
      'users.yaml': users(),
      'sub/orders.yaml': orders(),
      'items.yaml':
        'name: items\nowner: x\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n',
    });
    const moved = diffRegistries(base, head);
    expect(moved.changes.map((c) => `${c.kind} ${c.schema}`)).toEqual(['schema-added items']);
    expect(moved.schemas.find((s) => s.name === 'orders')?.movedFrom).toBe('.kiro/schemas/orders.yaml');
    const gone = diffRegistries(base, await load({ 'users.yaml': users() }));
    expect(gone.changes.map((c) => `${c.breaking} ${c.kind} ${c.schema} ${c.file}`)).toEqual([
      'true schema-removed orders .kiro/schemas/orders.yaml',
    ]);
  });
});

describe('diffDiagnostics', () => {
  it('reports breaking changes with the dependent services, on the head line', async () => {
    const head = users('2.0.0').replace('VARCHAR(255)', 'VARCHAR(100)');
    const { base, head: headRegistry } = await changesOf(head);
    const diagnostics = diffDiagnostics(base, headRegistry);
    expect([...diagnostics.keys()].sort()).toEqual(['.kiro/schemas/orders.yaml', '.kiro/schemas/users.yaml']);
    expect(diagnostics.get('.kiro/schemas/orders.yaml')).toEqual([]);
    const [breaking, ...rest] = diagnostics.get('.kiro/schemas/users.yaml') ?? [];
    expect(rest).toEqual([]);
    expect(breaking).toMatchObject({ code: 'breaking-change', severity: 'error' });
    expect(breaking?.message).toContain('VARCHAR(255) → VARCHAR(100): it narrows the column');
    expect(breaking?.message).toContain('Dependent services: order-service');
    const line = head.split('\n').findIndex((l) => l.includes('VARCHAR(100)'));
    expect(breaking?.range.start.line).toBe(line);
  });

  it('asks for a version bump, and a major one for breaking changes', async () => {
    const check = async (head: string) => {
      const { base, head: h } = await changesOf(head);
      return (diffDiagnostics(base, h).get('.kiro/schemas/users.yaml') ?? [])
        .filter((d) => d.code === 'version-not-bumped')
        .map((d) => d.message);
    };
    expect(await check(users('1.0.0', '  - { name: bio, type: TEXT, nullable: true }\n'))).toEqual([
      expect.stringContaining('version stayed 1.0.0'),
    ]);
    expect(await check(users('1.0.1', '  - { name: bio, type: TEXT, nullable: true }\n'))).toEqual([]);
    expect(await check(users('1.1.0').replace('VARCHAR(255)', 'VARCHAR(100)'))).toEqual([
      expect.stringContaining('needs a major bump'),
    ]);
    expect(await check(users('2.0.0').replace('VARCHAR(255)', 'VARCHAR(100)'))).toEqual([]);
    const { base, head } = await changesOf(users('0.9.0', '  - { name: bio, type: TEXT, nullable: true }\n'));
    const down = diffDiagnostics(base, head)
      .get('.kiro/schemas/users.yaml')
      ?.find((d) => d.code === 'version-not-bumped');
    expect(down?.hint).toBe('Set version: 1.0.1 and add a version_history entry.');
    expect(down?.range.start.line).toBe(2);
  });
});
