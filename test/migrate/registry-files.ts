/** Small schema files for migration tests, written as a service team would. */

/** `.kiro/schemas/<name>.yaml` → text, for `repo.commit(message, files)`. */
export type Files = Record<string, string>;

export const file = (name: string): string => `.kiro/schemas/${name}.yaml`;

/** users: id, email (unique), nickname (nullable unless `nicknameRequired`), extra columns as given. */
export function users(
  options: { nicknameRequired?: boolean; extraColumns?: string[]; indexes?: string[]; version?: string } = {},
): string {
  return [
    'name: users',
    'owner: user-service',
    `version: ${options.version ?? '1.0.0'}`,
    'columns:',
    '  - { name: id, type: UUID, nullable: false, primary_key: true }',
    '  - { name: email, type: VARCHAR(255), nullable: false, unique: true }',
    `  - { name: nickname, type: VARCHAR(50), nullable: ${options.nicknameRequired ? 'false' : 'true'} }`,
    ...(options.extraColumns ?? []),
    ...(options.indexes?.length ? ['indexes:', ...options.indexes] : []),
    '',
  ].join('\n');
}

/** orders: references users, with an index on user_id. */
export function orders(options: { extraColumns?: string[]; version?: string } = {}): string {
  return [
    'name: orders',
    'owner: order-service',
    `version: ${options.version ?? '1.0.0'}`,
    'columns:',
    '  - { name: id, type: BIGINT, nullable: false, primary_key: true }',
    '  - { name: user_id, type: UUID, nullable: false }',
    '  - { name: total, type: "DECIMAL(12,2)", nullable: false, default: "0" }',
    ...(options.extraColumns ?? []),
    'references:',
    '  - { schema: users, column: id, foreign_key: user_id, on_delete: CASCADE }',
    'indexes:',
    '  - { name: idx_orders_user, columns: [user_id] }',
    '',
  ].join('\n');
}

/** payments: a new table referencing orders. */
export function payments(): string {
  return [
    'name: payments',
    'owner: billing-service',
    'version: 1.0.0',
    'columns:',
    '  - { name: id, type: BIGINT, nullable: false, primary_key: true }',
    '  - { name: order_id, type: BIGINT, nullable: false }',
    'references:',
    '  - { schema: orders, column: id, foreign_key: order_id }',
    '',
  ].join('\n');
}

/** coupons: a new table with no references. */
export function coupons(): string {
  return [
    'name: coupons',
    'owner: billing-service',
    'version: 1.0.0',
    'columns:',
    '  - { name: code, type: VARCHAR(20), nullable: false, primary_key: true }',
    '',
  ].join('\n');
}

/** The first version of the registry: users and orders. */
export const v1 = (): Files => ({ [file('users')]: users(), [file('orders')]: orders() });
