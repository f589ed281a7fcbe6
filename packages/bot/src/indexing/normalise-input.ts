import { InvalidRequestError } from '@aegis/freeze';
import { isBranchName, isObjectId } from '@aegis/git';
import type { OperationInput, OperationName } from './index.js';

type Json = Record<string, unknown>;

/** The seeds' field names (after snake → camel) that our inputs call otherwise. */
const ALIASES: Record<string, string> = {
  branchName: 'branch',
  repository: 'repo',
  shadowIndexId: 'shadowId',
  validationResults: 'validation',
  estimatedCompletionSeconds: 'etaSeconds',
  indexSizeBytes: 'sizeBytes',
  recordsIndexed: 'recordsIndexed',
  forceSwitch: 'force',
  validationChecks: 'checks',
  commitHash: 'commit',
  commitSha: 'commit',
  headSha: 'commit',
  errorMessage: 'error',
};

/** The name a field has on the wire, for messages: the seed's where it gives one, else snake_case. */
const SEED_NAMES: Record<string, string> = {
  shadowId: 'shadow_index_id',
  etaSeconds: 'estimated_completion_seconds',
  sizeBytes: 'index_size_bytes',
  validation: 'validation_results',
  force: 'force_switch',
  checks: 'validation_checks',
};
/** `switchDurationMs` → `switch_duration_ms`; snake_case names stay as they are (the API's answers, too). */
export const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const wireName = (key: string): string => SEED_NAMES[key] ?? snakeCase(key);

const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A body with seed-style (`branch_name`) or our (`branch`) keys, as our camelCase names. */
export function camelKeys(raw: unknown): Json {
  const out: Json = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [key, value] of Object.entries(raw as Json)) {
    const c = camel(key);
    const name = ALIASES[c] ?? c;
    out[name] = name === 'validation' ? camelKeys(value) : value;
  }
  return out;
}

function text(body: Json, key: string, required: boolean): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new InvalidRequestError(`${wireName(key)} is required`);
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number')
    throw new InvalidRequestError(`${wireName(key)} must be a string`);
  return String(v);
}

/** An ISO-8601 time (seed 001's `started_at`), as given; anything `Date` cannot read is refused. */
function time(body: Json, key: string): string | undefined {
  const v = text(body, key, false);
  if (v !== undefined && !Number.isFinite(Date.parse(v)))
    throw new InvalidRequestError(`${wireName(key)} must be an ISO-8601 time`);
  return v;
}

function num(body: Json, key: string, required: boolean): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new InvalidRequestError(`${wireName(key)} is required`);
    return undefined;
  }
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidRequestError(`${wireName(key)} must be a non-negative number`);
  return n;
}

function strings(body: Json, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new InvalidRequestError(`${wireName(key)} must be a list of strings`);
  return v as string[];
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function branchOf(body: Json, defaultRepo?: string): { repo: string; branch: string } {
  const repo = text(body, 'repo', false) ?? defaultRepo;
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new InvalidRequestError('repo (owner/name) is required');
  const branch = text(body, 'branch', true) as string;
  // Branches reach git (`refs/heads/<branch>`): only names git itself accepts, never an option or a refspec.
  if (!isBranchName(branch)) throw new InvalidRequestError('branch is not a valid branch name');
  return { repo, branch };
}

/** A commit the app will fetch and read: a full object id (40 or 64 hex digits), nothing git could parse otherwise. */
function commitId(body: Json): string | undefined {
  const commit = text(body, 'commit', false);
  if (commit !== undefined && !isObjectId(commit))
    throw new InvalidRequestError('commit must be a full commit id (40 or 64 hex digits)');
  return commit;
}

function validationOf(body: Json): { passed: boolean; errors: string[] } | undefined {
  const v = body['validation'] as Json | undefined;
  if (!v || typeof v !== 'object') return undefined;
  return { passed: v['passed'] === true, errors: (strings(v, 'errors') ?? []).slice(0, 50) };
}

const STATES = ['ACTIVE', 'LOCKED_FOR_WRITE', 'READY', 'ARCHIVED', 'ERROR'] as const;

function stateOf(body: Json): (typeof STATES)[number] {
  const v = text(body, 'state', false) ?? text(body, 'newState', true);
  const state = STATES.find((st) => st === String(v).toUpperCase());
  if (!state) throw new InvalidRequestError(`state must be one of ${STATES.join(', ')}`);
  return state;
}

type Parser = (body: Json, defaultRepo?: string) => unknown;

const PARSERS: { [N in OperationName]: Parser } = {
  'indexing.started': (b, d) =>
    defined({
      ...branchOf(b, d),
      indexingId: text(b, 'indexingId', false) ?? `idx-${Date.now()}`,
      commit: text(b, 'commit', false),
      reason: text(b, 'reason', false),
      ttlSeconds: num(b, 'ttlSeconds', false),
    }),
  'indexing.completed': (b, d) =>
    defined({
      ...branchOf(b, d),
      indexingId: text(b, 'indexingId', false),
      commit: text(b, 'commit', false),
      startedAt: time(b, 'startedAt'),
      completedAt: time(b, 'completedAt'),
      recordsIndexed: num(b, 'recordsIndexed', false),
      validation: validationOf(b),
    }),
  'indexing.failed': (b, d) =>
    defined({
      ...branchOf(b, d),
      indexingId: text(b, 'indexingId', false),
      commit: text(b, 'commit', false),
      startedAt: time(b, 'startedAt'),
      completedAt: time(b, 'completedAt'),
      error: text(b, 'error', false) ?? text(b, 'reason', false) ?? 'indexing failed',
    }),
  'indexing.heartbeat': (b, d) =>
    defined({
      ...branchOf(b, d),
      indexingId: text(b, 'indexingId', false),
      fencingToken: num(b, 'fencingToken', false),
      ttlSeconds: num(b, 'ttlSeconds', false),
    }),
  'shadow.fail': (b) => ({
    shadowId: text(b, 'shadowId', true),
    error: text(b, 'error', false) ?? text(b, 'reason', false) ?? 'shadow build failed',
  }),
  'branch.set-state': (b, d) => ({
    ...branchOf(b, d),
    state: stateOf(b),
    reason: text(b, 'reason', false) ?? 'set by an admin (no reason given)',
  }),
  'shadow.start': (b, d) =>
    defined({
      ...branchOf(b, d),
      indexType: text(b, 'indexType', false) ?? 'search',
      resourceTypes: strings(b, 'resourceTypes'),
      treeHash: text(b, 'treeHash', false),
      commit: commitId(b),
    }),
  'shadow.progress': (b) =>
    defined({
      shadowId: text(b, 'shadowId', true),
      progressPercent: Math.min(100, num(b, 'progressPercent', true) as number),
      etaSeconds: num(b, 'etaSeconds', false),
      recordCount: num(b, 'recordCount', false),
    }),
  'shadow.complete': (b) => ({
    shadowId: text(b, 'shadowId', true),
    recordCount: num(b, 'recordCount', false) ?? num(b, 'recordsIndexed', true),
    sizeBytes: num(b, 'sizeBytes', true),
  }),
  'shadow.switch': (b) =>
    defined({
      shadowId: text(b, 'shadowId', true),
      force: b['force'] === true ? true : undefined,
      checks: strings(b, 'checks'),
      currentTreeHash: text(b, 'currentTreeHash', false),
    }),
  'shadow.cancel': (b) => defined({ shadowId: text(b, 'shadowId', true), reason: text(b, 'reason', false) }),
  'shadow.status': (b) => ({ shadowId: text(b, 'shadowId', true) }),
  // Seed 000's force-unlock may come without a body: the reason defaults, and is recorded as such.
  'branch.force-unlock': (b, d) => ({
    ...branchOf(b, d),
    reason: text(b, 'reason', false) ?? 'force-unlock (no reason given)',
  }),
  'branch.status': (b, d) => branchOf(b, d),
  'locks.list': (b, d) => defined({ repo: text(b, 'repo', false) ?? d }),
  dashboard: (b, d) => defined({ repo: text(b, 'repo', false) ?? d }),
};

/**
 * An operation's input from a transport's body (seed snake_case or camelCase), validated. Throws
 * `InvalidRequestError` (HTTP 400) naming the missing or malformed field.
 */
export function normaliseInput<N extends OperationName>(
  name: N,
  raw: unknown,
  defaultRepo?: string,
): OperationInput<N> {
  return PARSERS[name](camelKeys(raw), defaultRepo) as OperationInput<N>;
}
