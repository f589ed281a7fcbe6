import type { OperationInput, OperationName } from '../indexing/index.js';
import { normaliseInput } from '../indexing/normalise-input.js';

type Json = Record<string, unknown>;

/** What a route gets from the request: path parameters (decoded), the query and the JSON body. */
export interface RouteArgs {
  params: string[];
  query: URLSearchParams;
  body: Json;
  defaultRepo?: string | undefined;
}

/** A route that runs one operation. */
export interface OperationRoute {
  method: 'GET' | 'POST';
  /** Under `/aegis/api/v1/`, for the OpenAPI document. */
  path: string;
  pattern: RegExp;
  operation: OperationName;
  summary: string;
  input(args: RouteArgs): OperationInput<OperationName>;
  /** HTTP status of a success (default 200). */
  created?: boolean;
  /** A body with `status: "failed"` reports a failure instead (seed 001/002): this operation runs. */
  failed?: { operation: OperationName; input(args: RouteArgs): OperationInput<OperationName> };
}

/** Whether a report says the work failed (`status: "failed"` / `"failure"`). */
export function reportsFailure(body: Json): boolean {
  const status = body['status'];
  return status === 'failed' || status === 'failure' || status === 'FAILED';
}

const repoOf = (a: RouteArgs): Json => {
  const repo = a.query.get('repo') ?? a.body['repo'];
  return repo ? { repo } : {};
};
const onBranch = (name: OperationName) => (a: RouteArgs) =>
  normaliseInput(name, { ...a.body, ...repoOf(a), branch: a.params[0] }, a.defaultRepo);
const onShadow = (name: OperationName) => (a: RouteArgs) =>
  normaliseInput(name, { ...a.body, shadow_index_id: a.params[0] }, a.defaultRepo);
const plain = (name: OperationName) => (a: RouteArgs) =>
  normaliseInput(name, { ...a.body, ...repoOf(a) }, a.defaultRepo);

/** The seeds' routes (000: branch-locks, 002: shadow-index), each mapped to its one operation. */
export const OPERATION_ROUTES: OperationRoute[] = [
  {
    method: 'GET',
    path: 'branch-locks/status/{branch}',
    pattern: /^branch-locks\/status\/(.+)$/,
    operation: 'branch.status',
    summary: 'Branch state and live locks',
    input: onBranch('branch.status'),
  },
  {
    method: 'GET',
    path: 'branch-locks/locks',
    pattern: /^branch-locks\/locks$/,
    operation: 'locks.list',
    summary: 'Every live lock',
    input: plain('locks.list'),
  },
  {
    method: 'GET',
    path: 'branch-locks/dashboard',
    pattern: /^branch-locks\/dashboard$/,
    operation: 'dashboard',
    summary: 'Dashboard data: branches, locks with TTLs, shadow builds, recent audit',
    input: plain('dashboard'),
  },
  {
    method: 'POST',
    path: 'branch-locks/force-unlock/{branch}',
    pattern: /^branch-locks\/force-unlock\/(.+)$/,
    operation: 'branch.force-unlock',
    summary: 'Admin: release every lock, state → ACTIVE (body: reason)',
    input: onBranch('branch.force-unlock'),
  },
  {
    method: 'POST',
    path: 'branch-locks/indexing/{branch}/start',
    pattern: /^branch-locks\/indexing\/(.+)\/start$/,
    operation: 'indexing.started',
    summary: 'Indexing starts: LOCKED_FOR_WRITE',
    input: onBranch('indexing.started'),
    created: true,
  },
  {
    method: 'POST',
    path: 'branch-locks/indexing/{branch}/complete',
    pattern: /^branch-locks\/indexing\/(.+)\/complete$/,
    operation: 'indexing.completed',
    summary: 'Indexing done: READY, then auto-merge (status: failed → ERROR)',
    input: onBranch('indexing.completed'),
    failed: { operation: 'indexing.failed', input: onBranch('indexing.failed') },
  },
  {
    method: 'POST',
    path: 'branch-locks/indexing/{branch}/fail',
    pattern: /^branch-locks\/indexing\/(.+)\/fail$/,
    operation: 'indexing.failed',
    summary: 'Indexing failed: ERROR, locks released, PRs told',
    input: onBranch('indexing.failed'),
  },
  {
    method: 'POST',
    path: 'branch-locks/indexing/{branch}/heartbeat',
    pattern: /^branch-locks\/indexing\/(.+)\/heartbeat$/,
    operation: 'indexing.heartbeat',
    summary: 'The holder renews its indexing lock (body: indexing_id or fencing_token, ttl_seconds)',
    input: onBranch('indexing.heartbeat'),
  },
  {
    method: 'POST',
    path: 'branch-locks/set-state/{branch}',
    pattern: /^branch-locks\/set-state\/(.+)$/,
    operation: 'branch.set-state',
    summary: 'Admin: a legal state change by hand (body: state, reason), audited',
    input: onBranch('branch.set-state'),
  },
  {
    method: 'POST',
    path: 'shadow-index/start',
    pattern: /^shadow-index\/start$/,
    operation: 'shadow.start',
    summary: 'Start a shadow build (no lock)',
    input: plain('shadow.start'),
    created: true,
  },
  {
    method: 'POST',
    path: 'shadow-index/{id}/progress',
    pattern: /^shadow-index\/([^/]+)\/progress$/,
    operation: 'shadow.progress',
    summary: 'Report build progress / ETA (status: failed reports a failed build)',
    input: onShadow('shadow.progress'),
    failed: { operation: 'shadow.fail', input: onShadow('shadow.fail') },
  },
  {
    method: 'POST',
    path: 'shadow-index/{id}/complete',
    pattern: /^shadow-index\/([^/]+)\/complete$/,
    operation: 'shadow.complete',
    summary: 'Build done: BUILT (auto-merge may follow); status: failed → FAILED',
    input: onShadow('shadow.complete'),
    failed: { operation: 'shadow.fail', input: onShadow('shadow.fail') },
  },
  {
    method: 'POST',
    path: 'shadow-index/{id}/fail',
    pattern: /^shadow-index\/([^/]+)\/fail$/,
    operation: 'shadow.fail',
    summary: 'Build failed: FAILED, what it holds released (body: error)',
    input: onShadow('shadow.fail'),
  },
  {
    method: 'POST',
    path: 'shadow-index/{id}/switch',
    pattern: /^shadow-index\/([^/]+)\/switch$/,
    operation: 'shadow.switch',
    summary: 'Pre-switch checks, then the atomic switch',
    input: onShadow('shadow.switch'),
  },
  {
    method: 'POST',
    path: 'shadow-index/{id}/cancel',
    pattern: /^shadow-index\/([^/]+)\/cancel$/,
    operation: 'shadow.cancel',
    summary: 'Cancel a build',
    input: onShadow('shadow.cancel'),
  },
  {
    method: 'GET',
    path: 'shadow-index/{id}/status',
    pattern: /^shadow-index\/([^/]+)\/status$/,
    operation: 'shadow.status',
    summary: 'A build with progress, ETA and switch readiness',
    input: onShadow('shadow.status'),
  },
];
