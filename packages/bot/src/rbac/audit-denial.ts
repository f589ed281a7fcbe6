import type { FreezeService } from '@aegis/freeze';
import type { Authorization, Principal } from './authorize.js';
import { rolesOfPrincipal } from './authorize.js';
import { ForbiddenError } from '../errors.js';

/** Where the audit log lives, for the one thing denials need of it. */
export type DenialLog = Pick<FreezeService, 'appendAudit'>;

/** Where a refusal happened: repository, branch, and what the record links to. */
export interface DenialScene {
  repo: string;
  branch: string;
  /** The linked issue (`#12`), when known. */
  issue?: string | undefined;
  /** The pull request the refused command was typed on. */
  pr?: number | undefined;
  delivery?: string | undefined;
  /** API refusals are recorded as `api.denied`, every other one as `rbac.denied`. */
  transport?: 'api' | 'dispatch' | 'nats' | 'command' | undefined;
  /** An API caller's address and `User-Agent`. */
  ipAddress?: string | undefined;
  userAgent?: string | undefined;
}

/** The audit action of a refusal. */
export function denialAction(scene: Pick<DenialScene, 'transport'>): 'api.denied' | 'rbac.denied' {
  return scene.transport === 'api' ? 'api.denied' : 'rbac.denied';
}

/**
 * Records a refusal — the ONE function every denial goes through (commands, API, repository_dispatch,
 * NATS): who, which permission, why, under which issue. Durable before the refusal is answered.
 */
export async function auditDenial(
  log: DenialLog,
  principal: Principal,
  decision: Authorization,
  scene: DenialScene,
): Promise<void> {
  await log.appendAudit({
    repo: scene.repo,
    branch: scene.branch,
    actor: principal.name,
    action: denialAction(scene),
    issue: scene.issue ?? null,
    resourceType: 'permission',
    resourceId: decision.permission,
    reason: decision.reason,
    new: { action: decision.action, ...(scene.pr !== undefined ? { pr: scene.pr } : {}) },
    delivery: scene.delivery ?? null,
    ipAddress: scene.ipAddress ?? null,
    userAgent: scene.userAgent ?? null,
  });
}

/** Audits a refusal and throws it as `ForbiddenError` (HTTP 403); does nothing when `decision` allows. */
export async function refuseUnlessAllowed(
  log: DenialLog,
  principal: Principal,
  decision: Authorization,
  scene: DenialScene,
): Promise<void> {
  if (decision.allowed) return;
  // The refusal stands even when the audit log cannot take it (the store being down grants nothing).
  await auditDenial(log, principal, decision, scene).catch(() => undefined);
  throw new ForbiddenError(principal.name, rolesOfPrincipal(principal), decision.permission);
}
