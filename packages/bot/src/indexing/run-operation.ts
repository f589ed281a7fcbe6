import { permissionMatches } from '@aegis/core';
import { dashboard, branchStatus, forceUnlock, listLocks } from './branch-handlers.js';
import { indexingCompleted, indexingFailed, indexingStarted } from './indexing-handlers.js';
import { OPERATION_PERMISSIONS } from './index.js';
import type {
  Caller,
  OperationContext,
  OperationHandler,
  OperationInput,
  OperationName,
  OperationOutput,
} from './index.js';
import {
  shadowCancel,
  shadowComplete,
  shadowProgress,
  shadowStart,
  shadowStatus,
  shadowSwitch,
} from './shadow-handlers.js';

/** One handler per operation: the HTTP API, repository_dispatch and NATS all call these. */
export const OPERATION_HANDLERS: { readonly [N in OperationName]: OperationHandler<N> } = {
  'indexing.started': indexingStarted,
  'indexing.completed': indexingCompleted,
  'indexing.failed': indexingFailed,
  'shadow.start': shadowStart,
  'shadow.progress': shadowProgress,
  'shadow.complete': shadowComplete,
  'shadow.switch': shadowSwitch,
  'shadow.cancel': shadowCancel,
  'shadow.status': shadowStatus,
  'branch.force-unlock': forceUnlock,
  'branch.status': branchStatus,
  'locks.list': listLocks,
  dashboard,
};

/**
 * The built-in roles of API callers (tokens name roles, not permissions): the SPEC's vocabulary, plus
 * `indexer` for the indexing service. Repository-dispatch senders are judged by `.kiro/rbac.yaml` instead.
 */
export const API_ROLES: Readonly<Record<string, readonly string[]>> = {
  admin: ['*'],
  indexer: ['index:*', 'branch:read', 'schema:read'],
  developer: ['schema:read', 'branch:read'],
  viewer: ['schema:read', 'branch:read', 'audit:read'],
};

/** A caller that may not run an operation (HTTP 403). */
export class ForbiddenError extends Error {
  constructor(
    readonly caller: Caller,
    readonly permission: string,
  ) {
    super(`${caller.identity} (${caller.roles.join(', ') || 'no role'}) lacks ${permission}`);
    this.name = 'ForbiddenError';
  }
}

/** Whether the caller's resolved permissions, or its roles by `API_ROLES`, grant the operation's permission. */
export function mayRun(
  caller: Caller,
  name: OperationName,
  roles: Readonly<Record<string, readonly string[]>> = API_ROLES,
): boolean {
  const permission = OPERATION_PERMISSIONS[name];
  if (caller.permissions) return caller.permissions.some((p) => permissionMatches(p, permission));
  return caller.roles.some((r) => (roles[r] ?? []).some((p) => permissionMatches(p, permission)));
}

/** Runs one operation for an authorised caller (throws `ForbiddenError` otherwise). */
export async function runOperation<N extends OperationName>(
  ops: OperationContext,
  name: N,
  input: OperationInput<N>,
  caller: Caller,
): Promise<OperationOutput<N>> {
  if (!mayRun(caller, name)) throw new ForbiddenError(caller, OPERATION_PERMISSIONS[name]);
  const handler = OPERATION_HANDLERS[name] as OperationHandler<N>;
  return handler(ops, input, caller);
}
