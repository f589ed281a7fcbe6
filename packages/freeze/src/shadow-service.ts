import { randomUUID } from 'node:crypto';
import { acceptsProgress } from './domain/shadow-lifecycle.js';
import { interruptedSwitch } from './domain/shadow-recovery.js';
import { estimateEtaSeconds } from './domain/switch-checks.js';
import { IllegalShadowStateError, InvalidRequestError } from './errors.js';
import type { BranchChanges } from './branch-changes.js';
import type { ShadowComplete, ShadowStart, SwitchOutcome, SwitchRequest } from './outcomes.js';
import { moveShadow, readShadow } from './shadow-moves.js';
import { ShadowSwitch } from './shadow-switch.js';
import type { ShadowFilter, StateStore } from './state-store.js';
import type { ActorContext, AuditRecord, BranchRef, IndexPointer, Lock, ShadowBuild, ShadowState } from './types.js';

/** The audit subject of every shadow record. */
const SHADOW = { resourceType: 'shadow' } as const;

/** A shadow operation's result: the build and the audit appended. */
export interface ShadowOutcome {
  shadow: ShadowBuild;
  audit: AuditRecord[];
}

/** A build's status with what the switch needs to know. */
export interface ShadowStatus extends ShadowBuild {
  switchReady: boolean;
}

/**
 * Shadow index builds (seed 002): built without any lock while writes go on; only the switch of the branch's
 * active-index pointer holds a RESOURCE_TYPE lock, for milliseconds. Reached as `freeze.shadow`.
 */
export class ShadowService {
  private readonly switcher: ShadowSwitch;

  constructor(
    private readonly freeze: BranchChanges,
    private readonly store: StateStore,
  ) {
    this.switcher = new ShadowSwitch(freeze, store);
  }

  /** Starts a build (PREPARING); one in-flight build per branch and index type. */
  async start(input: ShadowStart, ctx: ActorContext): Promise<ShadowOutcome> {
    if (!input.indexType || !input.treeHash)
      throw new InvalidRequestError('a shadow build needs an indexType and a treeHash');
    const now = Date.now();
    const shadow: ShadowBuild = {
      id: `shadow-${randomUUID()}`,
      repo: input.repo,
      branch: input.branch,
      indexType: input.indexType,
      state: 'PREPARING',
      resourceTypes: input.resourceTypes,
      treeHash: input.treeHash,
      progressPercent: 0,
      etaSeconds: null,
      recordCount: null,
      sizeBytes: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      error: null,
    };
    await this.recoverInterrupted(input, ctx, input.indexType);
    // The record is written with the build, in one step: never a build without it, never it without the build.
    const audit = [
      this.freeze.auditRecord(ctx, input, 'shadow.started', { ...SHADOW, resourceId: shadow.id, new: shadow }),
    ];
    await this.store.createShadow(shadow, audit);
    await this.freeze.settle();
    return { shadow, audit };
  }

  /** Reports progress (PREPARING → BUILDING); the ETA is the reported one or extrapolated. */
  async progress(
    id: string,
    report: { progressPercent: number; etaSeconds?: number; recordCount?: number },
  ): Promise<ShadowBuild> {
    const cur = await readShadow(this.store, id);
    if (!acceptsProgress(cur.state))
      throw new IllegalShadowStateError(id, cur.state, `shadow ${id} is ${cur.state}, not building`);
    const pct = Math.min(100, Math.max(0, report.progressPercent));
    const now = Date.now();
    const patch: Partial<ShadowBuild> = {
      state: 'BUILDING',
      progressPercent: pct,
      etaSeconds: estimateEtaSeconds(pct, now - cur.createdAt, report.etaSeconds),
      updatedAt: now,
      ...(report.recordCount !== undefined ? { recordCount: report.recordCount } : {}),
    };
    return this.move(id, ['PREPARING', 'BUILDING'], patch);
  }

  /** The build is done (→ BUILT) with its record count and size. */
  async complete(id: string, done: ShadowComplete, ctx: ActorContext): Promise<ShadowOutcome> {
    const now = Date.now();
    const audit = [
      this.freeze.auditRecord(ctx, await readShadow(this.store, id), 'shadow.completed', {
        ...SHADOW,
        resourceId: id,
        new: { recordCount: done.recordCount, sizeBytes: done.sizeBytes },
      }),
    ];
    const patch: Partial<ShadowBuild> = {
      state: 'BUILT',
      progressPercent: 100,
      etaSeconds: 0,
      recordCount: done.recordCount,
      sizeBytes: done.sizeBytes,
      updatedAt: now,
      completedAt: now,
    };
    const shadow = await this.move(id, ['PREPARING', 'BUILDING'], patch, audit);
    return { shadow, audit };
  }

  /**
   * The build failed (→ FAILED, from any state before ACTIVE): it frees its branch and index type for the next
   * build and releases any switch lock it holds; audited with what it released.
   */
  async fail(id: string, error: string, ctx: ActorContext): Promise<ShadowOutcome> {
    const cur = await readShadow(this.store, id);
    const ours = (locks: readonly Lock[]): Lock[] => locks.filter((l) => l.meta['shadowId'] === id);
    // The move and its record are one step; the record names the switch locks the build holds, which are
    // released right after (or lapse within the switch lock's TTL if this process dies in between).
    const held = ours((await this.store.readBranch(cur)).locks);
    const audit = [
      this.freeze.auditRecord(ctx, cur, 'shadow.failed', {
        ...SHADOW,
        resourceId: id,
        reason: error,
        new: { state: 'FAILED', releasedLocks: held.map((l) => l.id) },
      }),
    ];
    const patch: Partial<ShadowBuild> = { state: 'FAILED', error, updatedAt: Date.now() };
    const shadow = await this.move(id, ['PREPARING', 'BUILDING', 'BUILT', 'SWITCHING'], patch, audit);
    await this.store.updateBranch(shadow, (s) => ({
      change: { removeLockIds: ours(s.locks).map((l) => l.id) },
      result: null,
    }));
    return { shadow, audit };
  }

  /** Cancels a build that has not switched (→ CANCELLED). */
  async cancel(id: string, reason: string, ctx: ActorContext): Promise<ShadowOutcome> {
    const cur = await readShadow(this.store, id);
    if (cur.state === 'SWITCHING') await this.recover(cur, ctx);
    const audit = [this.freeze.auditRecord(ctx, cur, 'shadow.cancelled', { ...SHADOW, resourceId: id, reason })];
    const patch: Partial<ShadowBuild> = { state: 'CANCELLED', error: reason, updatedAt: Date.now() };
    const shadow = await this.move(id, ['PREPARING', 'BUILDING', 'BUILT'], patch, audit);
    return { shadow, audit };
  }

  /** A build's status; `switchReady` when BUILT. */
  async status(id: string): Promise<ShadowStatus> {
    const shadow = await readShadow(this.store, id);
    return { ...shadow, switchReady: shadow.state === 'BUILT' };
  }

  /** Builds matching the filter, newest first. */
  async list(filter: ShadowFilter = {}): Promise<ShadowBuild[]> {
    return this.store.listShadows(filter);
  }

  /** The branch's active-index pointer for an index type. */
  async pointer(ref: BranchRef, indexType: string): Promise<IndexPointer> {
    return this.store.getPointer(ref, indexType);
  }

  /**
   * Switches the branch's active index to this BUILT build: the checks first (INTEGRITY_CHECK always; `force`
   * goes past failed checks, audited as `shadow.force-switched`), then a RESOURCE_TYPE lock on the build's
   * resource types held only while the pointer is swapped atomically and verified; a failed verification
   * points the branch back at the previous index. A refused check leaves the build BUILT and the pointer as is.
   */
  async switch(id: string, req: SwitchRequest, ctx: ActorContext): Promise<SwitchOutcome> {
    const shadow = await readShadow(this.store, id);
    if (shadow.state === 'SWITCHING') await this.recover(shadow, ctx);
    return this.switcher.switch(id, req, ctx);
  }

  /** Points the branch back at the previous index (kept in CLEANUP by the last switch). */
  async rollback(ref: BranchRef, indexType: string, ctx: ActorContext): Promise<SwitchOutcome> {
    return this.switcher.rollback(ref, indexType, ctx);
  }

  /**
   * Finishes or rolls back every switch of this branch (and index type) that a dead process left in SWITCHING
   * (issue 14 item 7). Start, switch, cancel and fail call it for their own build; call it after a restart too.
   */
  async recoverInterrupted(ref: BranchRef, ctx: ActorContext, indexType?: string): Promise<ShadowBuild[]> {
    const stuck = await this.store.listShadows({ ...ref, ...(indexType ? { indexType } : {}), states: ['SWITCHING'] });
    const out: ShadowBuild[] = [];
    for (const shadow of stuck) {
      const moved = await this.recover(shadow, ctx);
      if (moved) out.push(moved);
    }
    return out;
  }

  private async recover(shadow: ShadowBuild, ctx: ActorContext): Promise<ShadowBuild | null> {
    const [snapshot, pointer] = await Promise.all([
      this.store.readBranch(shadow),
      this.store.getPointer(shadow, shadow.indexType),
    ]);
    const ttl = this.freeze.config.switchLockTtlMs;
    const decision = interruptedSwitch(shadow, pointer, snapshot.locks, snapshot.now, ttl);
    if (!decision) return null;
    const audit = this.freeze.auditRecord(ctx, shadow, 'shadow.switch-recovered', {
      ...SHADOW,
      resourceId: shadow.id,
      reason: decision.reason,
      old: { state: 'SWITCHING' },
      new: { state: decision.to },
    });
    const patch: Partial<ShadowBuild> = { state: decision.to, updatedAt: Date.now() };
    const moved = await this.store.updateShadow(shadow.id, ['SWITCHING'], patch, [audit]);
    if (moved) await this.freeze.settle();
    return moved;
  }

  /** Moves a build (with `audit` written in the same step, drained at once where the store queues it). */
  private async move(
    id: string,
    expect: ShadowState[],
    patch: Partial<ShadowBuild>,
    audit: readonly AuditRecord[] = [],
  ): Promise<ShadowBuild> {
    const updated = await moveShadow(this.store, id, expect, patch, audit);
    if (audit.length > 0) await this.freeze.settle();
    return updated;
  }
}
