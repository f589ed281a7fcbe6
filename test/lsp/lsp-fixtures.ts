import { readFileSync } from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver-protocol';

/** A schema beside the example registry whose reference names a missing `user` (did you mean `users`?). */
export const ORDERS = readFileSync(new URL('./__fixtures__/orders/orders.yaml', import.meta.url), 'utf8');
export const APPS = '.kiro/schemas/applications.yaml';
export const USERS = '.kiro/schemas/users.yaml';
export const ORDERS_FILE = '.kiro/schemas/orders.yaml';
export const codes = (d: Diagnostic[]): string[] => d.map((x) => String(x.code));
export const none = (d: Diagnostic[]): boolean => d.length === 0;

/** A schema whose column says `nullable: maybe` (`invalid-field`), for files no one opens. */
export const BROKEN_FILE = '.kiro/schemas/broken.yaml';
export const BROKEN = `name: broken
owner: service-1
version: 1.0.0
columns:
  - name: id
    type: UUID
    nullable: maybe
    primary_key: true
`;
