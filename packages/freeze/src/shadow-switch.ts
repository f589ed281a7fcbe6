import { performance } from 'node:perf_hooks';
import { decideAcquire } from './domain/branch-decisions.js';
import { canShadowMove } from './domain/shadow-lifecycle.js';
import { checksToRun, runSwitchChecks } from './domain/switch-checks.js';
import { verifySwitch, type SwitchVerification } from './domain/switch-verification.js';
import { IllegalShadowStateError, ShadowNotFoundError } from './errors.js';
import type { BranchChanges } from './branch-changes.js';
import type { CheckResult, SwitchOutcome, SwitchRequest } from './outcomes.js';
import type { StateStore } from './state-store.js';
import type { ActorContext, BranchRef, IndexPointer, Lock, ShadowBuild, ShadowState } from './types.js';

type Move = { id: string; from: ShadowState; to: ShadowState };

interface SwapOptions {
  checks: CheckResult[];
  forced: boolean;
  action: string;
  reason?: string;
  claim: boolean;
  /** Re-checks under the lock; a string refuses the swap. */
  verify?: (() => Promise<string | null>) | undefined;
  /** Post-switch verification: the index it replaces and the indexing service's probe. */
  after?: { replaced: ShadowBuild | null; probe?: SwitchRequest['probe'] };
}

type SwapResult = Omit<SwitchOutcome, 'ref' | 'shadow' | 'pointer' | 'affected' | 'status'>;

/** The switch and rollback of `ShadowService` (seed 002): checks, a short lock, the atomic swap, verification. */
export class ShadowSwitch {
  constructor(
    private readonly freeze: BranchChanges,
    private readonly store: StateStore,
  ) {}

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
    const tolerance = req.sizeTolerance ?? this.freeze.config.sizeTolerance;
    const checks = runSwitchChecks(shadow, current, hash, checksToRun(req.checks), tolerance);
    const failed = checks.filter((c) => !c.passed).map((c) => `${c.check}: ${c.detail}`);
    if (failed.length > 0 && !force) return this.refuse(shadow, pointer, checks, failed, ctx);
    const moves: Move[] = [{ id, from: 'SWITCHING', to: 'ACTIVE' }];
    if (current && current.state === 'ACTIVE') moves.push({ id: current.id, from: 'ACTIVE', to: 'CLEANUP' });
    // Under the lock: the branch must still be at the hash the build was made from (unless forced).
    const verify =
      readHash && !force
        ? async (): Promise<string | null> => {
            const now = await readHash();
            return now === shadow.treeHash
              ? null
              : `INTEGRITY_CHECK: branch moved to ${now} during the switch; built from ${shadow.treeHash}`;
          }
        : undefined;
    const action = force ? 'shadow.force-switched' : 'shadow.switched';
    const reason = force
      ? `forced${failed.length ? ` past ${failed.join('; ')}` : ' (every check passed)'}`
      : undefined;
    const after = { replaced: current, ...(req.probe ? { probe: req.probe } : {}) };
    const opts = { checks, forced: force, action, claim: true, verify, after, ...(reason ? { reason } : {}) };
    return this.swap(shadow, pointer, id, moves, opts, ctx);
  }

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
    const moves: Move[] = [
      { id: active.id, from: 'ACTIVE', to: 'CLEANUP' },
      { id: previous.id, from: previous.state, to: 'ACTIVE' },
    ];
    const opts = { checks: [], forced: false, action: 'shadow.rolled-back', claim: false };
    return this.swap(active, pointer, previous.id, moves, opts, ctx);
  }

  private async refuse(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    checks: CheckResult[],
    errors: string[],
    ctx: ActorContext,
  ): Promise<SwitchOutcome> {
    const audit = await this.freeze.record(ctx, shadow, 'shadow.switch-refused', {
      resourceType: 'shadow',
      resourceId: shadow.id,
      reason: errors.join('; '),
    });
    const r = { switched: false, checks, forced: false, switchDurationMs: 0, errors, audit };
    return this.outcome(shadow, pointer, { ...r, validationPassed: false, verification: null, rolledBack: false });
  }

  private async swap(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    next: string,
    moves: Move[],
    opts: SwapOptions,
    ctx: ActorContext,
  ): Promise<SwitchOutcome> {
    // Claim the build first (BUILT → SWITCHING guards against a second switch of it); the lock window
    // then covers only the pointer swap and its verification.
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
    let verification: SwitchVerification | null = null;
    let rolledBack = false;
    try {
      refusal = opts.verify ? await opts.verify() : null;
      if (!refusal)
        swapped = await this.store.swapPointer({ ...this.at(shadow), expectActive: pointer.active, next, moves });
      if (swapped && opts.after) {
        verification = await this.verifyAfter(next, opts.after);
        if (!verification.verificationPassed) rolledBack = await this.undo(shadow, pointer, next, moves, verification);
      }
    } finally {
      await this.unlock(locks);
    }
    const switchDurationMs = performance.now() - t0;
    if (!swapped) await unclaim();
    return this.report(
      shadow,
      pointer,
      next,
      opts,
      { swapped, refusal, verification, rolledBack, switchDurationMs },
      ctx,
    );
  }

  private async report(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    next: string,
    opts: SwapOptions,
    r: {
      swapped: IndexPointer | null;
      refusal: string | null;
      verification: SwitchVerification | null;
      rolledBack: boolean;
      switchDurationMs: number;
    },
    ctx: ActorContext,
  ): Promise<SwitchOutcome> {
    const switched = r.swapped !== null && !r.rolledBack;
    const errors = !r.swapped
      ? [r.refusal ?? 'the active index changed during the switch (a concurrent switch); retry']
      : (r.verification?.errors ?? []);
    const action = !r.swapped ? 'shadow.switch-refused' : r.rolledBack ? 'shadow.switch-rolled-back' : opts.action;
    const reason = errors.length ? errors.join('; ') : opts.reason;
    const audit = await this.freeze.record(ctx, shadow, action, {
      resourceType: 'shadow',
      resourceId: next,
      old: { active: pointer.active },
      new: {
        active: switched ? next : pointer.active,
        switchDurationMs: r.switchDurationMs,
        forced: opts.forced,
        ...(r.verification ? { verification: r.verification } : {}),
      },
      ...(reason ? { reason } : {}),
    });
    const after = (await this.store.getShadow(next)) ?? shadow;
    const now = r.swapped ? await this.store.getPointer(shadow, shadow.indexType) : pointer;
    const validationPassed = opts.checks.every((c) => c.passed);
    const result = {
      switched,
      checks: opts.checks,
      forced: opts.forced,
      switchDurationMs: r.switchDurationMs,
      errors,
      audit,
    };
    return this.outcome(after, now, {
      ...result,
      validationPassed,
      verification: r.verification,
      rolledBack: r.rolledBack,
    });
  }

  private async verifyAfter(next: string, after: NonNullable<SwapOptions['after']>): Promise<SwitchVerification> {
    const build = await this.store.getShadow(next);
    const pointer = build ? await this.store.getPointer(build, build.indexType) : null;
    const probe =
      after.probe && build
        ? await after.probe(build).catch((e: unknown) => ({ accessible: false, detail: String(e) }))
        : null;
    return verifySwitch(next, pointer, build, after.replaced, probe);
  }

  /** Seed 002's automatic rollback: the pointer goes back, the new build is FAILED, the old one ACTIVE again. */
  private async undo(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    next: string,
    moves: Move[],
    verification: SwitchVerification,
  ): Promise<boolean> {
    const back: Move[] = moves.map((m) =>
      m.id === next ? { id: next, from: m.to, to: 'FAILED' } : { id: m.id, from: m.to, to: m.from },
    );
    const undone = await this.store.swapPointer({
      ...this.at(shadow),
      expectActive: next,
      next: pointer.active,
      moves: back,
    });
    if (undone)
      await this.store.updateShadow(next, ['FAILED'], {
        error: `post-switch verification failed: ${verification.errors.join('; ')}`,
      });
    return undone !== null;
  }

  private at(shadow: ShadowBuild): { repo: string; branch: string; indexType: string; at: number } {
    return { repo: shadow.repo, branch: shadow.branch, indexType: shadow.indexType, at: Date.now() };
  }

  private outcome(shadow: ShadowBuild, pointer: IndexPointer, r: SwapResult): Promise<SwitchOutcome> {
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

  private async unlock(locks: Lock[]): Promise<void> {
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

  private async move(id: string, expect: ShadowState[], patch: Partial<ShadowBuild>): Promise<void> {
    if (await this.store.updateShadow(id, expect, patch)) return;
    const cur = await this.get(id);
    throw new IllegalShadowStateError(id, cur.state, `shadow ${id} is ${cur.state}; expected ${expect.join(' or ')}`);
  }
}
