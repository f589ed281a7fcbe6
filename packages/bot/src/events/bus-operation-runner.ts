import type { InboundContext, InboundData } from '@aegis/events';
import { actedOn } from '../indexing/acted-on.js';
import type { ActedOn } from '../indexing/acted-on.js';
import type { Caller, OperationContext, OperationName } from '../indexing/index.js';
import { normaliseInput } from '../indexing/normalise-input.js';
import { runOperation } from '../indexing/run-operation.js';
import type { PolicyCache } from '../rbac/policy-cache.js';
import type { Principal } from '../rbac/authorize.js';
import { servicePolicy, tokenPrincipal } from '../rbac/authorize.js';
import type { BusIdentity } from './bus-identity.js';

/** What judging and running a bus event needs besides the operations' context. */
export interface BusCallers {
  identity: BusIdentity;
  /** The repositories' policies (default branch, cached): they say what the identity's roles permit. */
  policies: Pick<PolicyCache, 'of'>;
}

/**
 * The bus identity as a principal in `repo`: its roles with the permissions that repository's policy gives
 * them (built-in ones for roles the policy lacks, as for API tokens).
 */
export async function busPrincipal(callers: BusCallers, repo: string): Promise<Principal> {
  const { name, roles } = callers.identity;
  return tokenPrincipal(name, roles, servicePolicy(await callers.policies.of(repo)));
}

/**
 * The caller of one inbound event: audited as the event's actor, judged as the bus identity where the operation
 * acts (`actedOn`: a shadow build's own repository, else the event's).
 */
export async function busCaller(
  callers: BusCallers,
  context: InboundContext,
  acted: ActedOn = { repo: undefined },
): Promise<Caller> {
  const { repository, branch_name: branch } = context.event.data;
  return {
    identity: context.actor,
    principal: await busPrincipal(callers, acted.repo ?? repository),
    transport: 'nats',
    delivery: context.delivery,
    where: acted.where ?? { repo: repository, branch },
  };
}

/**
 * What the bus runs for each inbound event: the named operation through `runOperation`, so a bus event is
 * authorised (and a refusal audited) exactly as an API or `repository_dispatch` call is.
 */
export function busOperationRunner(ops: OperationContext, callers: BusCallers) {
  return async (operation: string, data: InboundData, context: InboundContext): Promise<unknown> => {
    const name = operation as OperationName;
    const input = normaliseInput(name, data, ops.defaultRepo);
    return runOperation(ops, name, input, await busCaller(callers, context, await actedOn(ops, input)));
  };
}
