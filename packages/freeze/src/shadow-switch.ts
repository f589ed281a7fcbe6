import { performance } from 'node:perf_hooks';
import { decideAcquire } from './domain/branch-decisions.js';
import { canShadowMove } from './domain/shadow-lifecycle.js';
import { checksToRun, runSwitchChecks } from './domain/switch-checks.js';
import { switchRecord, type SwitchRecord, type SwitchStep } from './domain/switch-records.js';
import { verifySwitch, type SwitchVerification } from './domain/switch-verification.js';
import { IllegalShadowStateError } from './errors.js';
import type { BranchChanges } from './branch-changes.js';
import type { CheckResult, SwitchOutcome, SwitchRequest } from './outcomes.js';
import { moveShadow, readShadow } from './shadow-moves.js';
import type { StateStore } from './state-store.js';
import type { ActorContext, AuditRecord, BranchRef, IndexPointer, Lock, ShadowBuild, ShadowState } from './types.js';

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

/** What happened under the switch lock, and the records written with each step. */
interface SwapRun {
  swapped: IndexPointer | null;
  refusal: string | null;
  verification: SwitchVerification | null;
  rolledBack: boolean;
  audit: AuditRecord[];
}

/** The switch and rollback of `ShadowService` (seed 002): checks, a short lock, the atomic swap, verification. */
export class ShadowSwitch {
  constructor(
    private readonly freeze: BranchChanges,
    private readonly store: StateStore,
  ) {}

  async switch(id: string, req: SwitchRequest, ctx: ActorContext): Promise<SwitchOutcome> {
    const shadow = await readShadow(this.store, id);
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
    const active = await readShadow(this.store, pointer.active);
    const previous = await readShadow(this.store, pointer.previous);
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
    if (opts.claim) await moveShadow(this.store, shadow.id, ['BUILT'], { state: 'SWITCHING', updatedAt: Date.now() });
    const t0 = performance.now();
    // Each step's record comes from the pure decision; the store writes it with the step's own change.
    const recordOf = (step: SwitchStep, from: string | null, to: string | null): SwitchRecord =>
      switchRecord(step, { subject: next, from, to, forced: opts.forced, switchDurationMs: performance.now() - t0 });
    const record = (step: SwitchStep, from: string | null, to: string | null): AuditRecord => {
      const r = recordOf(step, from, to);
      return this.freeze.auditRecord(ctx, shadow, r.action, r.fields);
    };
    const locks = await this.lockTypes(shadow, ctx.actor).catch(async (err: unknown) => {
      await this.unclaim(shadow, opts);
      throw err;
    });
    const run: SwapRun = { swapped: null, refusal: null, verification: null, rolledBack: false, audit: [] };
    try {
      await this.swapUnderLock(shadow, pointer, { next, moves, opts, run, record });
    } catch (err) {
      await this.unlock(locks);
      // A store error, or (SQL) a refused record: the pointer did not move, and the build is BUILT again.
      if (!run.swapped) await this.unclaim(shadow, opts);
      throw err;
    }
    await this.unlock(locks);
    const switchDurationMs = performance.now() - t0;
    if (!run.swapped) {
      const refusal = run.refusal ?? 'the active index changed during the switch (a concurrent switch); retry';
      run.refusal = refusal;
      run.audit.push(
        await this.refused(shadow, opts, recordOf({ step: 'refused', refusal }, pointer.active, pointer.active), ctx),
      );
    }
    const auditPending = this.store.outbox !== undefined && !(await this.freeze.settle());
    return this.report(shadow, pointer, next, opts, { ...run, switchDurationMs, auditPending });
  }

  /** Under the switch lock: the re-check, the swap with its record, the verification and, failed, the way back. */
  private async swapUnderLock(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    s: {
      next: string;
      moves: Move[];
      opts: SwapOptions;
      run: SwapRun;
      record: (step: SwitchStep, from: string | null, to: string | null) => AuditRecord;
    },
  ): Promise<void> {
    const { next, moves, opts, run } = s;
    run.refusal = opts.verify ? await opts.verify() : null;
    if (run.refusal) return;
    const audit = [s.record({ step: 'swap', action: opts.action, reason: opts.reason }, pointer.active, next)];
    run.swapped = await this.store.swapPointer({
      ...this.at(shadow),
      expectActive: pointer.active,
      next,
      moves,
      audit,
    });
    if (!run.swapped) return;
    run.audit.push(...audit);
    if (!opts.after) return;
    run.verification = await this.verifyAfter(next, opts.after);
    if (run.verification.verificationPassed) return;
    const back = s.record({ step: 'undo', verification: run.verification }, next, pointer.active);
    run.rolledBack = await this.undo(shadow, pointer, next, moves, run.verification, back);
    if (run.rolledBack) run.audit.push(back);
  }

  /**
   * A refused swap's record: written with the build's release (SWITCHING → BUILT) where the switch claimed it;
   * otherwise nothing moved (a refused rollback, a build failed meanwhile) and it records what the switch found.
   */
  private async refused(
    shadow: ShadowBuild,
    opts: SwapOptions,
    r: SwitchRecord,
    ctx: ActorContext,
  ): Promise<AuditRecord> {
    if (opts.claim) {
      const record = this.freeze.auditRecord(ctx, shadow, r.action, r.fields);
      const patch: Partial<ShadowBuild> = { state: 'BUILT', updatedAt: Date.now() };
      if (await this.store.updateShadow(shadow.id, ['SWITCHING'], patch, [record])) return record;
    }
    const [record] = await this.freeze.record(ctx, shadow, r.action, r.fields);
    return record as AuditRecord;
  }

  /** The claimed build is BUILT again (no record: the claim had none, and the pointer never moved). */
  private async unclaim(shadow: ShadowBuild, opts: SwapOptions): Promise<void> {
    if (opts.claim) await this.store.updateShadow(shadow.id, ['SWITCHING'], { state: 'BUILT', updatedAt: Date.now() });
  }

  private async report(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    next: string,
    opts: SwapOptions,
    r: SwapRun & { switchDurationMs: number; auditPending: boolean },
  ): Promise<SwitchOutcome> {
    const switched = r.swapped !== null && !r.rolledBack;
    const errors = !r.swapped ? [r.refusal ?? ''] : (r.verification?.errors ?? []);
    const after = (await this.store.getShadow(next)) ?? shadow;
    const now = r.swapped ? await this.store.getPointer(shadow, shadow.indexType) : pointer;
    const validationPassed = opts.checks.every((c) => c.passed);
    const result = {
      switched,
      checks: opts.checks,
      forced: opts.forced,
      switchDurationMs: r.switchDurationMs,
      errors,
      audit: r.audit,
      ...(r.auditPending ? { auditPending: true } : {}),
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

  /**
   * Seed 002's automatic rollback: the pointer goes back with its `shadow.switch-rolled-back` record (one step),
   * the new build is FAILED, the old one ACTIVE again.
   */
  private async undo(
    shadow: ShadowBuild,
    pointer: IndexPointer,
    next: string,
    moves: Move[],
    verification: SwitchVerification,
    record: AuditRecord,
  ): Promise<boolean> {
    const back: Move[] = moves.map((m) =>
      m.id === next ? { id: next, from: m.to, to: 'FAILED' } : { id: m.id, from: m.to, to: m.from },
    );
    const undone = await this.store.swapPointer({
      ...this.at(shadow),
      expectActive: next,
      next: pointer.active,
      moves: back,
      audit: [record],
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
}
