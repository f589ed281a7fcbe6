import type { Redis } from 'ioredis';
import { checkRef } from '../check-ref.js';
import { SHADOW_IN_FLIGHT } from '../domain/shadow-lifecycle.js';
import { IllegalShadowStateError, StoreUnavailableError } from '../errors.js';
import { newAuditRecord } from '../audit-record.js';
import { isEmptyChange, locksAdded, snapshotAfter } from '../domain/snapshot-after.js';
import type {
  AuditOf,
  BranchChange,
  BranchDecision,
  BranchSnapshot,
  BranchUpdate,
  PointerSwap,
  ShadowFilter,
  StateStore,
} from '../state-store.js';
import type { AuditRecord, BranchRef, BranchState, IndexPointer, Lock, ShadowBuild, ShadowState } from '../types.js';
import { ADD_MEMBER, APPLY_BRANCH, CREATE_SHADOW, READ_BRANCH, SWAP_POINTER, UPDATE_SHADOW } from './lua-scripts.js';
import { RedisAuditOutbox } from './redis-audit-outbox.js';
import { redisCall, runScript } from './redis-connection.js';

/** Compare-and-set attempts before `updateBranch` gives up. */
const MAX_CAS_ATTEMPTS = 1000;

/** The branch hash fields READ_BRANCH returns: state, since, reason, actor, version. */
type FieldValues = (string | null)[];

function toSnapshot(ref: BranchRef, now: string | number, f: FieldValues, locks: readonly Lock[]): BranchSnapshot {
  const t = Number(now);
  return {
    repo: ref.repo,
    branch: ref.branch,
    state: (f[0] as BranchState | null) ?? 'ACTIVE',
    since: Number(f[1] ?? 0),
    reason: f[2] ?? '',
    actor: f[3] ?? '',
    locks: locks.filter((l) => l.expiresAt > t),
    now: t,
    version: Number(f[4] ?? 0),
  };
}

// cjson turns an empty JSON object into an empty Lua table that encodes back as {} (fine for meta) and an
// empty array into {} too (the document is deleted rather than stored empty, but tolerate it).
function parseLocks(doc: string, ref: BranchRef): Lock[] {
  const raw = JSON.parse(doc) as Lock[] | Record<string, never>;
  return Array.isArray(raw) ? raw.map((l) => withRef(l, ref)).sort((a, b) => a.token - b.token) : [];
}

// Locks are shared by the parse cache, so they are frozen: nobody can change a cached lock by accident.
function withRef(l: Lock, ref: BranchRef): Lock {
  const meta = Object.freeze(!l.meta || Array.isArray(l.meta) ? {} : { ...l.meta });
  return Object.freeze({ ...l, repo: ref.repo, branch: ref.branch, meta });
}

/** Most recently parsed lock documents per branch: a check on an unchanged branch skips JSON parsing. */
class ParseCache {
  private readonly docs = new Map<string, { doc: string; locks: Lock[] }>();

  locks(key: string, doc: string | null, ref: BranchRef): Lock[] {
    if (!doc) return [];
    const hit = this.docs.get(key);
    if (hit && hit.doc === doc) return hit.locks;
    const locks = parseLocks(doc, ref);
    if (this.docs.size >= 1000) this.docs.clear();
    this.docs.set(key, { doc, locks });
    return locks;
  }
}

// cjson cannot tell an empty array from an empty object: normalise what comes back.
function parseShadow(json: string): ShadowBuild {
  const s = JSON.parse(json) as ShadowBuild;
  if (!Array.isArray(s.resourceTypes)) s.resourceTypes = [];
  return s;
}

/** Key layout of the Redis store under a prefix (one prefix per deployment or test). */
class Keys {
  constructor(private readonly p: string) {}
  branch = (r: BranchRef): string => `${this.p}b:${r.repo}:${r.branch}`;
  locks = (r: BranchRef): string => `${this.p}l:${r.repo}:${r.branch}`;
  branches = (): string => `${this.p}branches`;
  shadowPrefix = (): string => `${this.p}s:`;
  shadows = (): string => `${this.p}shadows`;
  inFlight = (r: BranchRef, type: string): string => `${this.p}f:${r.repo}:${r.branch}:${type}`;
  pointer = (r: BranchRef, type: string): string => `${this.p}p:${r.repo}:${r.branch}:${type}`;
  dedupe = (key: string): string => `${this.p}d:${key}`;
  outbox = (): string => `${this.p}audit-outbox`;
  members = (key: string): string => `${this.p}m:${key}`;
}

/**
 * `StateStore` on Redis, the hot path for many replicas. A snapshot is one round trip (READ_BRANCH: TIME, the
 * branch hash, the branch's lock document); every decision that writes is one Lua script (see `lua-scripts.ts`): a
 * compare-and-set on the branch version applying the pure domain's decision. Locks are live while their
 * expiresAt is after Redis TIME, and the lock document expires (PXAT) with its last lock; fencing tokens come
 * from HINCRBY per branch. Single Redis instance (shadow keys are derived inside scripts: not Cluster-safe).
 */
export class RedisStateStore implements StateStore {
  private readonly k: Keys;
  private readonly cache = new ParseCache();
  /** Where changes queue their audit records (drained into the audit log by an `AuditReconciler`). */
  readonly outbox: RedisAuditOutbox;
  /** `updateBranch` queues a change's audit records in the same script as the change. */
  readonly auditsWithChanges = true;

  constructor(
    private readonly redis: Redis,
    prefix = 'aegis:',
    private readonly ownsClient = true,
  ) {
    this.k = new Keys(prefix);
    this.outbox = new RedisAuditOutbox(redis, this.k.outbox());
  }

  /** One round trip (READ_BRANCH): the write-permission check's read and every decision's snapshot. */
  async readBranch(ref: BranchRef): Promise<BranchSnapshot> {
    return (await this.read(ref)).snap;
  }

  /** A snapshot and the branch's last fencing token (the version pins both). */
  private async read(ref: BranchRef): Promise<{ snap: BranchSnapshot; tokenSeq: number }> {
    checkRef(ref);
    const [sec, usec, fields, doc] = await runScript<[string, string, FieldValues, string | null]>(
      this.redis,
      READ_BRANCH,
      [this.k.branch(ref), this.k.locks(ref)],
      [],
    );
    const now = Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
    const snap = toSnapshot(ref, now, fields, this.cache.locks(this.k.locks(ref), doc, ref));
    return { snap, tokenSeq: Number(fields[5] ?? 0) };
  }

  /**
   * Applies a decision as one compare-and-set script. The change is applied at the snapshot's time, so its new
   * locks (tokens, expiries) are known before the script runs, and so are its audit records: the script appends
   * them to the audit outbox with the change, atomically (`BranchUpdate.audit` are those queued records).
   */
  async updateBranch<T>(
    ref: BranchRef,
    decide: (s: BranchSnapshot) => BranchDecision<T>,
    audit?: AuditOf<T>,
  ): Promise<BranchUpdate<T>> {
    // Each retry means another process changed this branch in between; a bound turns livelock into an error.
    for (let attempt = 1; ; attempt++) {
      if (attempt > MAX_CAS_ATTEMPTS)
        throw new StoreUnavailableError(`branch ${ref.branch} changed ${MAX_CAS_ATTEMPTS} times during one decision`);
      const { snap, tokenSeq } = await this.read(ref);
      const { change, result } = decide(snap);
      if (!change || isEmptyChange(change)) return { result, added: [], after: snap };
      const added = locksAdded(snap, change, tokenSeq);
      const records = audit
        ? audit({ result, added, after: snapshotAfter(snap, change, added) }).map(newAuditRecord)
        : [];
      const applied = await this.apply(snap, change, added, records);
      // Another process changed the branch between snapshot and apply: decide again on fresh data.
      if (applied) return { result, added, after: applied, ...(audit ? { audit: records } : {}) };
    }
  }

  private async apply(
    snap: BranchSnapshot,
    change: BranchChange,
    added: readonly Lock[],
    records: readonly AuditRecord[],
  ): Promise<BranchSnapshot | null> {
    const body = JSON.stringify({
      remove: change.removeLockIds ?? [],
      renew: change.renewLocks ?? [],
      // Stored without repo and branch (the key says them): withRef puts them back on read.
      add: added.map(({ repo: _r, branch: _b, ...stored }) => stored),
      state: change.state,
    });
    const keys = [this.k.branch(snap), this.k.locks(snap), this.k.branches(), this.outbox.key];
    const args = [
      snap.version,
      body,
      `${snap.repo}\n${snap.branch}`,
      snap.now,
      ...records.map((r) => JSON.stringify(r)),
    ];
    const out = await runScript<[number, ...(string | null)[]]>(this.redis, APPLY_BRANCH, keys, args);
    if (out[0] !== 1) return null;
    const [, now = '0', state = null, since = null, reason = null, actor = null, version = null, doc = null] = out;
    const locks = this.cache.locks(this.k.locks(snap), doc || null, snap);
    return toSnapshot(snap, now ?? '0', [state, since, reason, actor, version], locks);
  }

  async listBranches(repo?: string): Promise<BranchSnapshot[]> {
    const members = await redisCall(() => this.redis.smembers(this.k.branches()));
    const refs = members.map((m) => {
      const [r = '', b = ''] = m.split('\n');
      return { repo: r, branch: b };
    });
    const snaps = await Promise.all(refs.filter((r) => !repo || r.repo === repo).map((r) => this.readBranch(r)));
    return snaps
      .filter((s) => s.state !== 'ACTIVE' || s.locks.length > 0)
      .sort((a, b) => (a.repo + a.branch).localeCompare(b.repo + b.branch));
  }

  async createShadow(build: ShadowBuild, audit: readonly AuditRecord[] = []): Promise<void> {
    checkRef(build);
    const keys = [
      this.k.inFlight(build, build.indexType),
      this.k.shadowPrefix() + build.id,
      this.k.shadows(),
      this.outbox.key,
    ];
    const ok = await runScript<number>(this.redis, CREATE_SHADOW, keys, [
      JSON.stringify(build),
      build.id,
      this.k.shadowPrefix(),
      JSON.stringify(SHADOW_IN_FLIGHT),
      ...audit.map((r) => JSON.stringify(r)),
    ]);
    if (ok !== 1) throw IllegalShadowStateError.inFlight(build);
  }

  async getShadow(id: string): Promise<ShadowBuild | null> {
    const v = await redisCall(() => this.redis.get(this.k.shadowPrefix() + id));
    return v ? parseShadow(v) : null;
  }

  async updateShadow(
    id: string,
    expect: readonly ShadowState[],
    patch: Partial<ShadowBuild>,
    audit: readonly AuditRecord[] = [],
  ): Promise<ShadowBuild | null> {
    const out = await runScript<string | null>(
      this.redis,
      UPDATE_SHADOW,
      [this.k.shadowPrefix() + id, this.outbox.key],
      [JSON.stringify(expect), JSON.stringify(patch), ...audit.map((r) => JSON.stringify(r))],
    );
    return out ? parseShadow(out) : null;
  }

  async listShadows(f: ShadowFilter): Promise<ShadowBuild[]> {
    const ids = await redisCall(() => this.redis.smembers(this.k.shadows()));
    if (ids.length === 0) return [];
    const docs = await redisCall(() => this.redis.mget(ids.map((id) => this.k.shadowPrefix() + id)));
    return docs
      .filter((d): d is string => d !== null)
      .map(parseShadow)
      .filter(
        (s) =>
          (!f.repo || s.repo === f.repo) &&
          (!f.branch || s.branch === f.branch) &&
          (!f.indexType || s.indexType === f.indexType),
      )
      .filter((s) => !f.states || f.states.includes(s.state))
      .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  }

  async getPointer(ref: BranchRef, indexType: string): Promise<IndexPointer> {
    const h = await redisCall(() => this.redis.hgetall(this.k.pointer(ref, indexType)));
    return {
      repo: ref.repo,
      branch: ref.branch,
      indexType,
      active: h['active'] || null,
      previous: h['previous'] || null,
      switchedAt: Number(h['switchedAt'] ?? 0),
    };
  }

  async swapPointer(s: PointerSwap): Promise<IndexPointer | null> {
    const args = [
      s.expectActive ?? '',
      s.next ?? '',
      s.at,
      JSON.stringify(s.moves),
      this.k.shadowPrefix(),
      ...(s.audit ?? []).map((r) => JSON.stringify(r)),
    ];
    const keys = [this.k.pointer(s, s.indexType), this.outbox.key];
    const out = await runScript<[string, string, string] | null>(this.redis, SWAP_POINTER, keys, args);
    if (!out) return null;
    const [previous, active, at] = out;
    return {
      repo: s.repo,
      branch: s.branch,
      indexType: s.indexType,
      active: active || null,
      previous: previous || null,
      switchedAt: Number(at),
    };
  }

  async dedupe(key: string, ttlMs: number): Promise<boolean> {
    const out = await redisCall(() => this.redis.set(this.k.dedupe(key), '1', 'PX', ttlMs, 'NX'));
    return out === 'OK';
  }

  async forget(key: string): Promise<void> {
    await redisCall(() => this.redis.del(this.k.dedupe(key)));
  }

  async addMember(key: string, member: string, ttlMs: number): Promise<boolean> {
    return (await runScript<number>(this.redis, ADD_MEMBER, [this.k.members(key)], [member, String(ttlMs)])) === 1;
  }

  async members(key: string): Promise<string[]> {
    return redisCall(() => this.redis.zrange(this.k.members(key), 0, -1));
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.redis.disconnect();
  }
}
