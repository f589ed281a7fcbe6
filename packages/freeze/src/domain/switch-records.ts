import type { AuditInput } from '../types.js';
import type { SwitchVerification } from './switch-verification.js';

/** A switch or rollback step's audit record: its action and fields (the service adds who, where and when). */
export interface SwitchRecord {
  action: string;
  fields: Partial<AuditInput>;
}

/** One step of a switch that moves (or would have moved) the pointer, as its record tells it. */
export type SwitchStep =
  /** The pointer swap itself: `shadow.switched`, `shadow.force-switched` or `shadow.rolled-back`. */
  | { step: 'swap'; action: string; reason?: string | undefined }
  /** The automatic rollback after a failed post-switch verification: the pointer goes back. */
  | { step: 'undo'; verification: SwitchVerification }
  /** The swap was refused under the lock (the branch moved, or a concurrent switch changed the pointer). */
  | { step: 'refused'; refusal: string };

/** Where the pointer was and where the step moves it (`from` stays where the step is refused). */
export interface SwitchPointerMove {
  /** The build the step names (the switched-in index). */
  subject: string;
  from: string | null;
  to: string | null;
  forced: boolean;
  switchDurationMs: number;
}

/**
 * The record a switch step writes in the same atomic step as its change (pure): the swap's record with the pointer
 * swap, the rollback's with the swap back, a refusal's with the build's release (SWITCHING → BUILT).
 */
export function switchRecord(step: SwitchStep, move: SwitchPointerMove): SwitchRecord {
  const action =
    step.step === 'swap' ? step.action : step.step === 'undo' ? 'shadow.switch-rolled-back' : 'shadow.switch-refused';
  const reason =
    step.step === 'swap' ? step.reason : step.step === 'undo' ? step.verification.errors.join('; ') : step.refusal;
  const fields: Partial<AuditInput> = {
    resourceType: 'shadow',
    resourceId: move.subject,
    old: { active: move.from },
    new: {
      active: move.to,
      switchDurationMs: move.switchDurationMs,
      forced: move.forced,
      ...(step.step === 'undo' ? { verification: step.verification } : {}),
    },
    ...(reason ? { reason } : {}),
  };
  return { action, fields };
}
