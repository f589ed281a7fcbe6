import { describe, expect, it } from 'vitest';
import type { Lock, ShadowBuild, ShadowState } from '../types.js';
import { auditId, compactTimestamp, parseAuditId } from './audit-id.js';
import { allowedTransitions, BRANCH_STATES, checkTransition } from './branch-transitions.js';
import { effectiveState } from './branch-decisions.js';
import { locksBlockingWrite, parseResource, retryAfterSeconds } from './lock-conflicts.js';
import { canShadowMove } from './shadow-lifecycle.js';
import { estimateEtaSeconds, runSwitchChecks } from './switch-checks.js';

const lock = (over: Partial<Lock>): Lock => ({
  id: 'l',
  repo: 'r',
  branch: 'b',
  scope: 'BRANCH',
  kind: 'MANUAL',
  holder: 'h',
  reason: '',
  token: 1,
  createdAt: 0,
  heartbeatAt: 0,
  expiresAt: 10_000,
  ttlMs: 10_000,
  meta: {},
  ...over,
});

describe('branch state machine', () => {
  it('allows exactly the seeds’ edges', () => {
    const edges = allowedTransitions()
      .map((e) => `${e.from}>${e.to}:${e.triggers.join('|')}`)
      .sort();
    expect(edges).toEqual([
      'ACTIVE>ARCHIVED:deleted',
      'ACTIVE>LOCKED_FOR_WRITE:indexing.started',
      'ARCHIVED>ACTIVE:restored',
      'ERROR>ACTIVE:recovered|force-unlock',
      'ERROR>ARCHIVED:deleted',
      'LOCKED_FOR_WRITE>ACTIVE:force-unlock|timeout',
      'LOCKED_FOR_WRITE>ARCHIVED:deleted',
      'LOCKED_FOR_WRITE>ERROR:indexing.failed',
      'LOCKED_FOR_WRITE>READY:indexing.completed',
      'READY>ACTIVE:merged|timeout|force-unlock',
      'READY>ARCHIVED:deleted',
      'READY>LOCKED_FOR_WRITE:indexing.started',
    ]);
  });

  it('refuses every other pair with a reason', () => {
    const allowed = new Set(allowedTransitions().map((e) => `${e.from}>${e.to}`));
    for (const from of BRANCH_STATES) {
      for (const to of BRANCH_STATES) {
        const v = checkTransition(from, to, 'merged');
        if (allowed.has(`${from}>${to}`)) continue;
        expect(v.allowed, `${from}>${to}`).toBe(false);
        if (!v.allowed) expect(v.reason.length).toBeGreaterThan(10);
      }
    }
    expect(checkTransition('READY', 'ACTIVE', 'deleted')).toEqual({
      allowed: false,
      reason: 'READY → ACTIVE happens only on merged or timeout or force-unlock, not deleted',
    });
  });

  it('counts LOCKED_FOR_WRITE without a live indexing lock as ACTIVE', () => {
    expect(effectiveState({ state: 'LOCKED_FOR_WRITE', locks: [] })).toBe('ACTIVE');
    expect(effectiveState({ state: 'LOCKED_FOR_WRITE', locks: [lock({ kind: 'INDEXING' })] })).toBe('LOCKED_FOR_WRITE');
    expect(effectiveState({ state: 'READY', locks: [] })).toBe('READY');
  });
});

describe('lock conflict rules', () => {
  it('ignores expired locks and computes retry-after from the last expiry', () => {
    const live = lock({ id: 'a', expiresAt: 5_500 });
    const dead = lock({ id: 'b', expiresAt: 900 });
    expect(locksBlockingWrite(['schema:x'], [live, dead], 1000).map((l) => l.id)).toEqual(['a']);
    expect(retryAfterSeconds([live], 1000)).toBe(5);
    expect(retryAfterSeconds([lock({ expiresAt: 1001 })], 1000)).toBe(1);
  });

  it('parses resources whose id contains a colon', () => {
    expect(parseResource('schema:ns:users')).toEqual({ resourceType: 'schema', resourceId: 'ns:users' });
    expect(() => parseResource(':x')).toThrow('resource must be "type:id"');
  });
});

describe('shadow lifecycle and switch checks', () => {
  it('moves only along the lifecycle', () => {
    const path: ShadowState[] = ['PREPARING', 'BUILDING', 'BUILT', 'SWITCHING', 'ACTIVE', 'CLEANUP'];
    for (let i = 0; i + 1 < path.length; i++)
      expect(canShadowMove(path[i] as ShadowState, path[i + 1] as ShadowState)).toBe(true);
    expect(canShadowMove('PREPARING', 'ACTIVE')).toBe(false);
    expect(canShadowMove('CANCELLED', 'BUILDING')).toBe(false);
    expect(canShadowMove('FAILED', 'BUILT')).toBe(false);
  });

  it('runs the three checks', () => {
    const s = { recordCount: 10, sizeBytes: 1000, treeHash: 'h' } as ShadowBuild;
    const cur = { sizeBytes: 900 } as ShadowBuild;
    const r = runSwitchChecks(s, cur, 'h', ['RECORD_COUNT_VALIDATION', 'SIZE_COMPARISON', 'INTEGRITY_CHECK'], 0.05);
    expect(r.map((c) => c.passed)).toEqual([true, false, true]);
    expect(runSwitchChecks(s, null, 'h2', ['INTEGRITY_CHECK'], 0)[0]?.passed).toBe(false);
  });

  it('extrapolates an ETA when none is reported', () => {
    expect(estimateEtaSeconds(25, 60_000)).toBe(180);
    expect(estimateEtaSeconds(0, 60_000)).toBeNull();
    expect(estimateEtaSeconds(50, 1000, 42)).toBe(42);
  });
});

describe('audit ids', () => {
  it('formats and parses audit-<repo>:branch:<branch>:<action>:<YYYYMMDDTHHMMSSZ>:<uuid>', () => {
    const at = new Date('2025-06-26T10:30:00.123Z');
    expect(compactTimestamp(at)).toBe('20250626T103000Z');
    const id = auditId('oms', 'feature/user-schema', 'indexing.completed', at, '123e4567-e89b-12d3-a456-426614174000');
    expect(id).toBe(
      'audit-oms:branch:feature/user-schema:indexing.completed:20250626T103000Z:123e4567-e89b-12d3-a456-426614174000',
    );
    expect(parseAuditId(id)).toEqual({
      repo: 'oms',
      branch: 'feature/user-schema',
      action: 'indexing.completed',
      timestamp: '20250626T103000Z',
      uuid: '123e4567-e89b-12d3-a456-426614174000',
    });
    expect(parseAuditId('audit-x')).toBeUndefined();
  });
});

describe('store configuration from the environment', () => {
  it('maps AEGIS_DATA_DIR, DATABASE_URL, REDIS_URL and AEGIS_REDIS_PREFIX', async () => {
    const { storeConfigFromEnv } = await import('../open-stores.js');
    expect(storeConfigFromEnv({})).toEqual({});
    expect(
      storeConfigFromEnv({
        AEGIS_DATA_DIR: '/d',
        DATABASE_URL: 'postgres://x',
        REDIS_URL: 'redis://y',
        AEGIS_REDIS_PREFIX: 'p:',
      }),
    ).toEqual({
      dataDir: '/d',
      databaseUrl: 'postgres://x',
      redisUrl: 'redis://y',
      redisPrefix: 'p:',
    });
    expect(storeConfigFromEnv({ AEGIS_REDIS_PREFIX: 'p:' })).toEqual({});
  });

  it('reads how often the audit outbox is drained, refusing what is not a sensible interval', async () => {
    const { storeConfigFromEnv } = await import('../open-stores.js');
    expect(storeConfigFromEnv({ AEGIS_AUDIT_DRAIN_MS: '2500' })).toEqual({ auditDrainMs: 2500 });
    for (const bad of ['5', '1e4', 'soon', '-100'])
      expect(() => storeConfigFromEnv({ AEGIS_AUDIT_DRAIN_MS: bad })).toThrow(/AEGIS_AUDIT_DRAIN_MS/);
  });
});
