import { dashboard, branchStatus, forceUnlock, listLocks, setState } from './branch-handlers.js';
import { indexingCompleted, indexingFailed, indexingHeartbeat, indexingStarted } from './indexing-handlers.js';
import { authorize } from '../rbac/authorize.js';
import { refuseUnlessAllowed } from '../rbac/audit-denial.js';
import type { DenialScene } from '../rbac/audit-denial.js';
import type {
  Caller,
  OperationContext,
  OperationHandler,
  OperationInput,
  OperationName,
  OperationOutput,
} from './index.js';
import type { FreezePort } from './operation-ports.js';
import {
  shadowCancel,
  shadowComplete,
  shadowFail,
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
  'indexing.heartbeat': indexingHeartbeat,
  'shadow.start': shadowStart,
  'shadow.progress': shadowProgress,
  'shadow.complete': shadowComplete,
  'shadow.switch': shadowSwitch,
  'shadow.cancel': shadowCancel,
  'shadow.fail': shadowFail,
  'shadow.status': shadowStatus,
  'branch.force-unlock': forceUnlock,
  'branch.set-state': setState,
  'branch.status': branchStatus,
  'locks.list': listLocks,
  dashboard,
};

/** Where an operation acts, for the audit record of a refusal. */
function sceneOf(ops: Pick<OperationContext, 'defaultRepo'>, input: unknown, caller: Caller): DenialScene {
  const i = input as { repo?: unknown; branch?: unknown };
  return {
    repo: typeof i.repo === 'string' ? i.repo : (caller.where?.repo ?? ops.defaultRepo ?? '-'),
    branch: typeof i.branch === 'string' ? i.branch : (caller.where?.branch ?? '-'),
    issue: caller.issue,
    delivery: caller.delivery,
    transport: caller.transport,
    ipAddress: caller.ipAddress,
    userAgent: caller.userAgent,
  };
}

/**
 * Refuses (audited, then `ForbiddenError`) a caller whose principal may not run the operation. Every
 * transport passes here: the HTTP API, repository_dispatch and NATS.
 */
export async function authorizeOperation(
  ops: FreezePort<'appendAudit'> & Pick<OperationContext, 'defaultRepo'>,
  name: OperationName,
  input: unknown,
  caller: Caller,
): Promise<void> {
  const decision = authorize(caller.principal, name);
  await refuseUnlessAllowed(ops.bot.freeze, caller.principal, decision, sceneOf(ops, input, caller));
}

/**
 * An operation naming a shadow build by id acts on that build's repository: a caller judged in another
 * repository (a dispatch from it, a token scoped to it) is refused there, audited on the build's branch.
 */
async function refuseForeignBuild(ops: OperationContext, name: OperationName, input: unknown, caller: Caller) {
  const id = (input as { shadowId?: unknown }).shadowId;
  if (typeof id !== 'string' || caller.judgedIn === undefined) return;
  const build = await ops.bot.freeze.shadow.status(id).catch(() => undefined);
  if (!build || build.repo.toLowerCase() === caller.judgedIn.toLowerCase()) return;
  const reason = `shadow build ${id} belongs to another repository than ${caller.judgedIn}`;
  const decision = { ...authorize(caller.principal, name), allowed: false, reason };
  const where = { ...caller, where: { repo: build.repo, branch: build.branch } };
  await refuseUnlessAllowed(ops.bot.freeze, caller.principal, decision, sceneOf(ops, input, where));
}

/** Runs one operation for an authorised caller (audits and throws `ForbiddenError` otherwise). */
export async function runOperation<N extends OperationName>(
  ops: OperationContext,
  name: N,
  input: OperationInput<N>,
  caller: Caller,
): Promise<OperationOutput<N>> {
  await authorizeOperation(ops, name, input, caller);
  await refuseForeignBuild(ops, name, input, caller);
  const handler = OPERATION_HANDLERS[name] as OperationHandler<N>;
  return handler(ops, input, caller);
}
