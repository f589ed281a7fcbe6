import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { acceptsProgress, canShadowMove } from './domain/shadow-lifecycle.js';
import { decideAcquire } from './domain/branch-decisions.js';
import { ALL_CHECKS, estimateEtaSeconds, runSwitchChecks } from './domain/switch-checks.js';
import { IllegalShadowStateError, InvalidRequestError, ShadowNotFoundError } from './errors.js';
import type { FreezeService } from './freeze-service.js';
import type { ShadowComplete, ShadowStart, SwitchOutcome, SwitchRequest } from './outcomes.js';
import type { ShadowFilter, StateStore } from './state-store.js';
import type { ActorContext, AuditRecord, BranchRef, IndexPointer, Lock, ShadowBuild, ShadowState } from './types.js';

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
  constructor(
    private readonly freeze: FreezeService,
    private readonly store: StateStore,
  ) {}

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
    await this.store.createShadow(shadow);
    const audit = await this.freeze.record(ctx, input, 'shadow.started', {
      resourceType: 'shadow',
      resourceId: shadow.id,
      new: shadow,
    });
    return { shadow, audit };
  }

  /** Reports progress (PREPARING → BUILDING); the ETA is the reported one or extrapolated. */
  async progress(
    id: string,
    report: { progressPercent: number; etaSeconds?: number; recordCount?: number },
  ): Promise<ShadowBuild> {
    const cur = await this.get(id);
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
    const shadow = await this.move(id, ['PREPARING', 'BUILDING'], {
      state: 'BUILT',
      progressPercent: 100,
      etaSeconds: 0,
      recordCount: done.recordCount,
      sizeBytes: done.sizeBytes,
      updatedAt: now,
      completedAt: now,
    });
    const audit = await this.freeze.record(ctx, shadow, 'shadow.completed', {
      resourceType: 'shadow',
      resourceId: id,
      new: { recordCount: done.recordCount, sizeBytes: done.sizeBytes },
    });
    return { shadow, audit };
  }

  /** The build failed (→ FAILED). */
  async fail(id: string, error: string, ctx: ActorContext): Promise<ShadowOutcome> {
    const shadow = await this.move(id, ['PREPARING', 'BUILDING', 'BUILT'], {
      state: 'FAILED',
      error,
      updatedAt: Date.now(),
    });
    const audit = await this.freeze.record(ctx, shadow, 'shadow.failed', {
      resourceType: 'shadow',
      resourceId: id,
      reason: error,
    });
    return { shadow, audit };
  }

  /** Cancels a build that has not switched (→ CANCELLED). */
  async cancel(id: string, reason: string, ctx: ActorContext): Promise<ShadowOutcome> {
    const shadow = await this.move(id, ['PREPARING', 'BUILDING', 'BUILT'], {
      state: 'CANCELLED',
      error: reason,
      updatedAt: Date.now(),
    });
    const audit = await this.freeze.record(ctx, shadow, 'shadow.cancelled', {
      resourceType: 'shadow',
      resourceId: id,
      reason,
    });
    return { shadow, audit };
  }

  /** A build's status; `switchReady` when BUILT. */
  async status(id: string): Promise<ShadowStatus> {
    const shadow = await this.get(id);
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
   * Switches the branch's active index to this BUILT build: the checks first (unless `force`), then a
   * RESOURCE_TYPE lock on the build's resource types held only while the pointer is swapped atomically
   * (the previous index is kept for rollback). A refused check leaves the build BUILT and the pointer as is.
   */
  async switch(id: string, req: SwitchRequest, ctx: ActorContext): Promise<SwitchOutcome> {
    const shadow = await this.get(id);
    if (shadow.state !== 'BUILT')
      throw new IllegalShadowStateError(
        id,
        shadow.state,
        `shadow ${id} is ${shadow.state}; only a BUILT index switches`,
      );
    const pointer = await this.store.getPointer(shadow, shadow.indexType);
    const current = pointer.active ? await this.store.getShadow(pointer.active) : null;
    const force = req.force === true;
    const readHash = typeof req.currentTreeHash === 'function' ? req.currentTreeHash : undefined;
    const hash = readHash ? await readHash() : (req.currentTreeHash as string);
    const checks = force
      ? []
      : runSwitchChecks(
          shadow,
          current,
          hash,
          req.checks ?? ALL_CHECKS,
          req.sizeTolerance ?? this.freeze.config.sizeTolerance,
        );
    const failed = checks.filter((c) => !c.passed);
    if (failed.length > 0) {
      const errors = failed.map((c) => `${c.check}: ${c.detail}`);
      const audit = await this.freeze.record(ctx, shadow, 'shadow.switch-refused', {
        resourceType: 'shadow',
        resourceId: id,
        reason: errors.join('; '),
      });
      return this.outcome(shadow, pointer, {
        switched: false,
        checks,
        forced: false,
        switchDurationMs: 0,
        errors,
        audit,
      });
    }
    const moves = [{ id, from: 'SWITCHING' as ShadowState, to: 'ACTIVE' as ShadowState }];
    if (current && current.state === 'ACTIVE') moves.push({ id: current.id, from: 'ACTIVE', to: 'CLEANUP' });
    const integrity = !force && (req.checks ?? ALL_CHECKS).includes('INTEGRITY_CHECK');
    // Under the lock: the branch must still be at the hash the build was made from.
    const verify =
      readHash && integrity
        ? async (): Promise<string | null> => {
            const now = await readHash();
            return now === shadow.treeHash
              ? null
              : `INTEGRITY_CHECK: branch moved to ${now} during the switch; built from ${shadow.treeHash}`;
          }
        : undefined;
    return this.swap(
      shadow,
      pointer,
      id,
      moves,
      { checks, forced: force, action: 'shadow.switched', claim: true, verify },
      ctx,
    );
  }

  /** Points the branch back at the previous index (kept in CLEANUP by the last switch). */
  async rollback(ref: BranchRef, indexType: string, ctx: ActorContext): Promise<SwitchOutcome> {
    const pointer = await this.store.getPointer(ref, indexType);
    if (!pointer.active || !pointer.previous)
      throw new IllegalShadowStateError(
        pointer.active ?? '',
        null,
        `no previous ${indexType} index to roll back to on ${ref.branch}`,
      );
    const active = await this.get(pointer.active);
    const previous = await this.get(pointer.previous);
    if (!canShadowMove(previous.state, 'ACTIVE'))
      throw new IllegalShadowStateError(
        previous.id,
        previous.state,
        `previous index ${previous.id} is ${previous.state}`,
      );
    const moves = [
      { id: active.id, from: 'ACTIVE' as ShadowState, to: 'CLEANUP' as ShadowState },
      { id: previous.id, from: previous.state, to: 'ACTIVE' as ShadowState },
    ];
    return this.swap(
      active,
      pointer,
      previous.id,
      moves,
      { checks: [], forced: false, action: 'shadow.rolled-back', claim: false },
      ctx,
    );
  }

  private async swap(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    next: string,
    moves: { id: string; from: ShadowState; to: ShadowState }[],
    opts: {
      checks: SwitchOutcome['checks'];
      forced: boolean;
      action: string;
      claim: boolean;
      verify?: (() => Promise<string | null>) | undefined;
    },
    ctx: ActorContext,
  ): Promise<SwitchOutcome> {
    // Claim the build first (BUILT → SWITCHING guards against a second switch of it); the lock window
    // then covers only the pointer swap.
    if (opts.claim) await this.move(shadow.id, ['BUILT'], { state: 'SWITCHING', updatedAt: Date.now() });
    const unclaim = async (): Promise<void> => {
      if (opts.claim)
        await this.store.updateShadow(shadow.id, ['SWITCHING'], { state: 'BUILT', updatedAt: Date.now() });
    };
    const t0 = performance.now();
    const locks = await this.lockTypes(shadow, ctx.actor).catch(async (err: unknown) => {
      await unclaim();
      throw err;
    });
    let swapped: IndexPointer | null = null;
    let refusal: string | null = null;
    try {
      refusal = opts.verify ? await opts.verify() : null;
      if (!refusal)
        swapped = await this.store.swapPointer({
          repo: shadow.repo,
          branch: shadow.branch,
          indexType: shadow.indexType,
          expectActive: pointer.active,
          next,
          moves,
          at: Date.now(),
        });
    } finally {
      await this.unlock(locks, ctx);
    }
    const switchDurationMs = performance.now() - t0;
    if (!swapped) await unclaim();
    const after = (await this.store.getShadow(next)) ?? shadow;
    const errors = swapped
      ? []
      : [refusal ?? 'the active index changed during the switch (a concurrent switch); retry'];
    const audit = await this.freeze.record(ctx, shadow, swapped ? opts.action : 'shadow.switch-refused', {
      resourceType: 'shadow',
      resourceId: next,
      old: { active: pointer.active },
      new: { active: swapped ? next : pointer.active, switchDurationMs, forced: opts.forced },
      ...(errors.length ? { reason: errors.join('; ') } : {}),
    });
    const result = {
      switched: swapped !== null,
      checks: opts.checks,
      forced: opts.forced,
      switchDurationMs,
      errors,
      audit,
    };
    return this.outcome(after, swapped ?? pointer, result);
  }

  private outcome(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    r: Omit<SwitchOutcome, 'ref' | 'shadow' | 'pointer' | 'affected' | 'status'>,
  ): Promise<SwitchOutcome> {
    const ref = { repo: shadow.repo, branch: shadow.branch };
    return this.freeze.getBranchState(ref).then((status) => ({
      ...r,
      ref,
      shadow,
      pointer,
      affected: r.switched ? shadow.resourceTypes.map((t) => `${t}:*`) : [],
      status,
    }));
  }

  /** The switch's own locks: RESOURCE_TYPE for each resource type, taken together or not at all. */
  private async lockTypes(shadow: ShadowBuild, actor: string): Promise<Lock[]> {
    const ttlMs = this.freeze.config.switchLockTtlMs;
    const { added } = await this.store.updateBranch(shadow, (s) => {
      const addLocks = shadow.resourceTypes.flatMap((resourceType) => {
        const req = {
          scope: 'RESOURCE_TYPE' as const,
          resourceType,
          kind: 'SWITCH' as const,
          holder: actor,
          reason: `switching ${shadow.indexType} index to ${shadow.id}`,
          ttlMs,
          meta: { shadowId: shadow.id },
        };
        return decideAcquire(s, req).change?.addLocks ?? [];
      });
      return { change: { addLocks }, result: null };
    });
    return added;
  }

  private async unlock(locks: Lock[], _ctx: ActorContext): Promise<void> {
    const first = locks[0];
    if (!first) return;
    const ids = new Set(locks.map((l) => l.id));
    await this.store.updateBranch(first, (s) => ({
      change: { removeLockIds: s.locks.filter((l) => ids.has(l.id)).map((l) => l.id) },
      result: null,
    }));
  }

  private async get(id: string): Promise<ShadowBuild> {
    const shadow = await this.store.getShadow(id);
    if (!shadow) throw new ShadowNotFoundError(id);
    return shadow;
  }

  private async move(id: string, expect: ShadowState[], patch: Partial<ShadowBuild>): Promise<ShadowBuild> {
    const updated = await this.store.updateShadow(id, expect, patch);
    if (updated) return updated;
    const cur = await this.get(id);
    throw new IllegalShadowStateError(id, cur.state, `shadow ${id} is ${cur.state}; expected ${expect.join(' or ')}`);
  }
}
