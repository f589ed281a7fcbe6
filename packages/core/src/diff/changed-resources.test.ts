import { describe, expect, it } from 'vitest';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Registry } from '../model.js';
import { changedResources } from './changed-resources.js';

const users = (version: string, body: string): string => `name: users
owner: user-service
version: ${version}
columns:
  - { name: id, type: UUID, nullable: false, primary_key: true }
  - { name: email, type: VARCHAR(255), nullable: false }
${body}`;
const INDEX = `indexes:
  - { name: idx_users_email, columns: [email], unique: false }
`;
const orders = `name: orders
owner: order-service
version: 1.0.0
columns:
  - { name: id, type: UUID, nullable: false, primary_key: true }
  - { name: user_id, type: UUID, nullable: false }
references:
  - { schema: users, column: id, foreign_key: user_id, on_delete: RESTRICT }
indexes:
  - { name: idx_orders_user, columns: [user_id], unique: false }
`;

const load = (files: Record<string, string>): Promise<Registry> =>
  loadRegistry(memoryFileSource(Object.fromEntries(Object.entries(files).map(([k, v]) => [`.kiro/schemas/${k}`, v]))));
const USERS = '.kiro/schemas/users.yaml';

describe('changedResources: what a change writes, for locks (issue 16 item 8)', () => {
  it('a new column writes its table and that column, not the index beside it', async () => {
    const base = await load({ 'users.yaml': users('1.0.0', INDEX) });
    const head = await load({
      'users.yaml': users('1.1.0', `  - { name: nickname, type: TEXT, nullable: true }\n${INDEX}`),
    });
    expect(changedResources(base, head, [USERS])).toEqual(['column:users.nickname', 'schema:users']);
  });

  it('a changed index writes that index', async () => {
    const base = await load({ 'users.yaml': users('1.0.0', INDEX) });
    const head = await load({ 'users.yaml': users('1.1.0', INDEX.replace('unique: false', 'unique: true')) });
    expect(changedResources(base, head, [USERS])).toEqual(['index:users.idx_users_email', 'schema:users']);
  });

  it('a removed table takes its columns, references and indexes with it; the policy and metadata files are resources', async () => {
    const base = await load({ 'users.yaml': users('1.0.0', ''), 'orders.yaml': orders });
    const head = await load({ 'users.yaml': users('1.0.0', '') });
    expect(
      changedResources(base, head, ['.kiro/schemas/orders.yaml', '.kiro/rbac.yaml', '.kiro/schemas/registry.yaml']),
    ).toEqual([
      'column:orders.id',
      'column:orders.user_id',
      'index:orders.idx_orders_user',
      'rbac:policy',
      'reference:orders.user_id',
      'registry:metadata',
      'schema:orders',
    ]);
  });

  it('a version-only edit still writes its table', async () => {
    const base = await load({ 'users.yaml': users('1.0.0', '') });
    const head = await load({ 'users.yaml': users('1.0.1', '') });
    expect(changedResources(base, head, [USERS])).toEqual(['schema:users']);
  });
});
