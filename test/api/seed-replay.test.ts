import { beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, TOKENS } from './api-harness.js';
import { useHarness } from '../bot/use-harness.js';

/**
 * Issue 16 item 9: every HTTP example of the seed documents (`shared/seeds/000–004`), replayed as printed —
 * method, path after `/api/v1/`, headers and body text — against the running app, whose API lives under
 * `/aegis/api/v1/`. A funnel written against the seeds changes only its base URL and token. What the product
 * assigns itself (a shadow build's id) is the only thing substituted; the seed routes the product answers
 * under another name are in docs/indexing-api.md's table (`/health` → `/healthz`, the write middleware → the
 * check route). Every answer is checked for the seeds' convention: snake_case fields, ISO-8601 times.
 */

interface Replay {
  method: 'GET' | 'POST';
  /** The seed's path after `/api/v1/`. */
  path: string;
  /** The body exactly as the seed prints it (curl's `-d`, or the JSON block under the route). */
  body?: string;
  token?: string;
  /** curl's `-H "Content-Type: …"`; `-d` without it sends a form content type, as curl does. */
  contentType?: string;
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Fields answered as they were recorded (an audit record's payloads), and maps keyed by ids. */
const OPAQUE = new Set(['old', 'new', 'lock_ttl_seconds']);

/** Every key snake_case, every time ISO-8601 (or null), all the way down. */
function expectSeedConvention(value: unknown, at = '$'): void {
  if (Array.isArray(value)) return value.forEach((v, i) => expectSeedConvention(v, `${at}[${i}]`));
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    expect(key, `${at}.${key}`).toMatch(/^[a-z][a-z0-9_]*$/);
    if (/_at$|^now$|^since$/.test(key) && v !== null && typeof v !== 'string') {
      throw new Error(`${at}.${key} is ${JSON.stringify(v)}, not an ISO-8601 time`);
    }
    if (typeof v === 'string' && /_at$|^now$/.test(key)) expect(new Date(v).toISOString(), `${at}.${key}`).toBe(v);
    if (!OPAQUE.has(key)) expectSeedConvention(v, `${at}.${key}`);
  }
}

describe("the seeds' HTTP examples, replayed as printed", () => {
  const harness = useHarness(startApiHarness);

  async function replay(r: Replay): Promise<Answer> {
    const h = harness();
    const headers: Record<string, string> = { authorization: `Bearer ${r.token ?? TOKENS.indexer}` };
    if (r.body !== undefined) headers['content-type'] = r.contentType ?? 'application/x-www-form-urlencoded';
    else if (r.contentType) headers['content-type'] = r.contentType;
    const res = await fetch(`${h.bot.url}/aegis/api/v1/${r.path}`, {
      method: r.method,
      headers,
      ...(r.body !== undefined ? { body: r.body } : {}),
    });
    const text = await res.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    expectSeedConvention(body);
    return { status: res.status, headers: res.headers, body };
  }

  beforeAll(async () => {
    const h = harness();
    // The seeds' branches, as branches of the registry repository.
    for (const branch of ['feature/user-schema', 'stuck-branch', 'failed-branch', 'problematic-branch'])
      await h.repo.branch(branch, 'main');
  });

  it('seed 000: admin tools, the funnel endpoints, the 423 body, the dashboard and both force-unlocks', async () => {
    // §4 "관리자 도구" and "서비스 통합 엔드포인트" (no bodies printed)
    expect((await replay({ method: 'GET', path: 'branch-locks/status/main' })).body).toMatchObject({
      branch: 'main',
      state: 'ACTIVE',
      since: null,
      locks: [],
    });
    expect((await replay({ method: 'GET', path: 'branch-locks/locks' })).body).toEqual({ locks: [] });
    const started = await replay({ method: 'POST', path: 'branch-locks/indexing/main/start' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ from: 'ACTIVE', to: 'LOCKED_FOR_WRITE', lock: { holder: 'funnel-service' } });
    const lock = started.body['lock'] as Record<string, unknown>;
    expect(Date.parse(lock['expires_at'] as string)).toBeGreaterThan(Date.parse(lock['created_at'] as string));

    // §3 "자동 권한 확인": a write during the freeze is refused with the seed's body (the product's write is
    // a pull request; its write check is this route).
    const frozen = await replay({ method: 'GET', path: 'branch-locks/check/main?resources=schema:users' });
    expect(frozen.status).toBe(423);
    expect(Object.keys(frozen.body).sort()).toEqual(['error', 'message', 'reason', 'retry_after']);
    expect(frozen.body).toMatchObject({ error: 'SchemaFrozen', message: "Branch 'main' is currently locked" });
    expect(frozen.headers.get('retry-after')).toBe(String(frozen.body['retry_after']));

    const locked = await replay({ method: 'GET', path: 'branch-locks/status/main' });
    expect(locked.body).toMatchObject({ state: 'LOCKED_FOR_WRITE', locks: [{ kind: 'INDEXING' }] });
    expect(typeof locked.body['since']).toBe('string');
    const done = await replay({ method: 'POST', path: 'branch-locks/indexing/main/complete' });
    expect(done.body).toMatchObject({ from: 'LOCKED_FOR_WRITE', to: 'READY' });
    expect(done.body['duration_ms']).toEqual(expect.any(Number));

    // "운영 가이드": curl -H "Authorization: Bearer $TOKEN" …/branch-locks/dashboard and …/status/main
    const dashboard = await replay({ method: 'GET', path: 'branch-locks/dashboard', token: TOKENS.viewer });
    expect(dashboard.status).toBe(200);
    expect(dashboard.body['totals']).toMatchObject({ active_locks: 0, building_shadows: 0 });

    // Scenario 3 and "장애 대응": the emergency unlock of a stuck indexing run, bodies as printed.
    await replay({ method: 'POST', path: 'branch-locks/indexing/main/start' });
    const scenario3 = await replay({
      method: 'POST',
      path: 'branch-locks/force-unlock/main',
      token: TOKENS.admin,
      contentType: 'application/json',
      body: `{
     "reason": "Funnel service outage - emergency unlock"
   }`,
    });
    expect(scenario3.body).toMatchObject({ branch: 'main', from: 'LOCKED_FOR_WRITE' });
    await replay({ method: 'POST', path: 'branch-locks/indexing/stuck-branch/start' });
    const guide = await replay({
      method: 'POST',
      path: 'branch-locks/force-unlock/stuck-branch',
      token: TOKENS.admin,
      contentType: 'application/json',
      body: '{"reason": "Emergency unlock due to service outage"}',
    });
    expect(guide.body).toMatchObject({ branch: 'stuck-branch', from: 'LOCKED_FOR_WRITE' });
    expect((guide.body['released'] as unknown[]).length).toBe(1);
  });

  it("seed 001: the indexing.completed CloudEvent (success and failure) and the operators' recovery curls", async () => {
    const h = harness();
    // Setup, not a seed example: the run the printed event reports on.
    await replay({
      method: 'POST',
      path: 'branch-locks/indexing/feature/user-schema/start',
      body: '{"indexing_id": "idx-123"}',
    });
    const printed = (status: string, id: string, branch: string) => `{
    "id": "${id}",
    "source": "funnel-service",
    "type": "com.oms.indexing.completed",
    "data": {
        "branch_name": "${branch}",
        "indexing_id": "idx-123",
        "started_at": "2025-06-26T10:00:00Z",
        "completed_at": "2025-06-26T10:30:00Z",
        "status": "${status}",
        "records_indexed": 1250,
        "validation_results": {
            "passed": true,
            "errors": []
        }
    }
}`;
    // "status": "success|failed" is printed as a choice: one replay each.
    const success = await replay({
      method: 'POST',
      path: 'events',
      contentType: 'application/json',
      body: printed('success', 'indexing-uuid', 'feature/user-schema'),
    });
    expect(success.status).toBe(202);
    expect(success.body).toMatchObject({
      duplicate: false,
      operation: 'indexing.completed',
      result: { branch: 'feature/user-schema', to: 'READY', duration_ms: 1_800_000 },
    });

    await replay({
      method: 'POST',
      path: 'branch-locks/indexing/problematic-branch/start',
      body: '{"indexing_id": "idx-123"}',
    });
    const failure = await replay({
      method: 'POST',
      path: 'events',
      contentType: 'application/json',
      body: printed('failed', 'indexing-uuid-2', 'problematic-branch'),
    });
    expect(failure.body).toMatchObject({
      operation: 'indexing.failed',
      result: { to: 'ERROR', lock: { kind: 'INDEXING' } },
    });

    // "장애 대응": force-unlock without a body, then set-state with curl's -d (no JSON content type).
    await replay({ method: 'POST', path: 'branch-locks/indexing/failed-branch/start' });
    await replay({ method: 'POST', path: 'branch-locks/indexing/failed-branch/fail', body: '{"error": "boom"}' });
    const unlocked = await replay({
      method: 'POST',
      path: 'branch-locks/force-unlock/failed-branch',
      token: TOKENS.admin,
    });
    expect(unlocked.body).toMatchObject({ branch: 'failed-branch', from: 'ERROR' });
    await replay({ method: 'POST', path: 'branch-locks/indexing/failed-branch/start' });
    await replay({ method: 'POST', path: 'branch-locks/indexing/failed-branch/fail', body: '{"error": "boom again"}' });
    const recovered = await replay({
      method: 'POST',
      path: 'branch-locks/set-state/failed-branch',
      token: TOKENS.admin,
      body: '{"state": "ACTIVE", "reason": "Manual recovery"}',
    });
    expect(recovered.body).toMatchObject({ branch: 'failed-branch', from: 'ERROR', to: 'ACTIVE' });
    // `curl http://localhost:8002/health` is the product's /healthz.
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
  });

  it('seed 002: start, progress, complete, status and switch with the printed bodies; the shadow CloudEvent', async () => {
    const start = `{
    "branch_name": "feature/user-schema",
    "index_type": "SEARCH_INDEX",
    "resource_types": ["object_type", "link_type"],
    "build_config": {
        "full_rebuild": false,
        "parallel_workers": 4
    }
}`;
    const json = 'application/json';
    const started = await replay({ method: 'POST', path: 'shadow-index/start', contentType: json, body: start });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      message: 'Shadow index build started',
      estimated_build_time_minutes: null,
      state: 'PREPARING',
    });
    const id = started.body['shadow_index_id'] as string;
    expect(id).toEqual(expect.any(String));

    const progress = await replay({
      method: 'POST',
      path: `shadow-index/${id}/progress`,
      contentType: json,
      body: `{
    "progress_percent": 65,
    "estimated_completion_seconds": 420,
    "record_count": 6500
}`,
    });
    expect(progress.body).toMatchObject({
      state: 'BUILDING',
      build_progress_percent: 65,
      estimated_completion_seconds: 420,
      record_count: 6500,
    });
    const complete = await replay({
      method: 'POST',
      path: `shadow-index/${id}/complete`,
      contentType: json,
      body: `{
    "index_size_bytes": 52428800,
    "record_count": 10000,
    "build_summary": {
        "build_duration_seconds": 1800,
        "performance_index": 0.95
    }
}`,
    });
    expect(complete.body).toMatchObject({ state: 'BUILT', switch_ready: true });

    // §5 "상태 모니터링": every field the seed prints, under its name.
    const status = await replay({ method: 'GET', path: `shadow-index/${id}/status` });
    expect(status.body).toMatchObject({
      shadow_index_id: id,
      branch_name: 'feature/user-schema',
      state: 'BUILT',
      build_progress_percent: 100,
      switch_ready: true,
      index_size_bytes: 52428800,
      record_count: 10000,
    });
    expect(typeof status.body['estimated_switch_duration_seconds']).toBe('number');
    expect(typeof status.body['created_at']).toBe('string');
    expect(typeof status.body['completed_at']).toBe('string');

    const switched = await replay({
      method: 'POST',
      path: `shadow-index/${id}/switch`,
      contentType: json,
      body: `{
    "force_switch": false,
    "validation_checks": ["RECORD_COUNT_VALIDATION", "SIZE_COMPARISON"],
    "backup_current": true,
    "switch_timeout_seconds": 10
}`,
    });
    expect(switched.body).toMatchObject({ success: true, validation_passed: true, verification_passed: true });
    expect(switched.body['switch_duration_ms']).toBeLessThan(10_000);
    expect(switched.body['message']).toBe(
      `Index switch completed successfully in ${switched.body['switch_duration_ms'] as number}ms`,
    );

    // "CloudEvents 확장 스펙": the shadow build's completion as an event (its id is the product's).
    const second = await replay({ method: 'POST', path: 'shadow-index/start', contentType: json, body: start });
    const secondId = second.body['shadow_index_id'] as string;
    const event = await replay({
      method: 'POST',
      path: 'events',
      contentType: json,
      body: `{
    "id": "indexing-completed-uuid",
    "source": "funnel-service",
    "type": "com.oms.shadow.indexing.completed",
    "data": {
        "branch_name": "feature/user-schema",
        "indexing_mode": "shadow",
        "shadow_index_id": "${secondId}",
        "index_size_bytes": 52428800,
        "records_indexed": 10000,
        "resource_types": ["object_type", "link_type"],
        "status": "success"
    }
}`,
    });
    expect(event.status).toBe(202);
    expect(event.body).toMatchObject({
      operation: 'shadow.complete',
      result: { shadow_index_id: secondId, state: 'BUILT', record_count: 10000 },
    });
  });

  it('seed 004: GET schemas with since_hash answers the delta (ETag = version hash)', async () => {
    const h = harness();
    const full = await replay({ method: 'GET', path: 'schemas', token: TOKENS.viewer });
    const hash = full.body['version_hash'] as string;
    expect(full.headers.get('etag')).toBe(`"${hash}"`);
    const users = await h.repo.git('show', 'main:.kiro/schemas/users.yaml');
    await h.repo.checkout('main');
    await h.repo.commit('users: a note', { '.kiro/schemas/users.yaml': `${users}\n# replayed\n` });
    const delta = await replay({ method: 'GET', path: `schemas?since_hash=${hash}`, token: TOKENS.viewer });
    expect(delta.body).toMatchObject({ kind: 'delta', since: hash, removed: [] });
    expect((delta.body['changed'] as { path: string }[]).map((c) => c.path)).toEqual(['.kiro/schemas/users.yaml']);
    const audit = await replay({ method: 'GET', path: 'audit?limit=5', token: TOKENS.admin });
    expect(audit.body['next_cursor']).toEqual(expect.any(String));
  });
});
