/**
 * The indexing-service interface (SPEC §4, seeds 000–002): one handler per operation, shared by every
 * transport — the HTTP API (`/aegis/api/v1`), `repository_dispatch` events and NATS JetStream. A transport
 * authenticates its caller, turns its message into an operation input (or a CloudEvent, see
 * `cloudEventOperation`) and calls `runOperation(ops, name, input, caller)`.
 *
 * Inputs are camelCase; the seeds' snake_case bodies (`branch_name`, `indexing_id`, `records_indexed`,
 * `validation_results`, `shadow_index_id`, …) are accepted by `normaliseInput`.
 */
import type {
  BranchState,
  BranchStatus,
  CheckResult,
  FreezeService,
  IndexPointer,
  Lock,
  ShadowBuild,
  ShadowState,
  SwitchCheck,
  SwitchVerification,
} from '@aegis/freeze';
import type { Registry } from 'prom-client';
import type { BotConfig } from '../bot-context.js';
import { ACTION_PERMISSIONS } from '../rbac/authorize.js';
import type { Principal } from '../rbac/authorize.js';
import type { GitHubPort } from '../github.js';
import type { Gate } from '../gate/gate-ports.js';
import type { Log } from '../log.js';
import type { RepoMirror } from '../mirror/repo-mirror.js';
import type { RepoInfo } from '../repo-info.js';
import type { MergeApi } from '../auto-merge/merge-api.js';

/** A CloudEvents-shaped message (seed 001): `{ id, source, type, data }`, `time` optional. */
export interface CloudEvent<T = Record<string, unknown>> {
  id: string;
  source: string;
  /** `indexing.completed`, `com.oms.indexing.completed`, `aegis.indexing.started`, `funnel.indexing.failed`, … */
  type: string;
  data: T;
  time?: string;
  specversion?: string;
  subject?: string;
}

/** How an operation reached the bot. */
export type Transport = 'api' | 'dispatch' | 'nats' | 'command';

/** Who calls an operation, as the transport authenticated it. */
export interface Caller {
  /** `funnel-service`, `octocat`, the token's name. Goes into the audit record as the actor. */
  identity: string;
  /**
   * How `authorize` judges the caller: an API token or a NATS event by its configured roles, a
   * repository_dispatch sender by `.kiro/rbac.yaml` on the default branch.
   */
  principal: Principal;
  transport: Transport;
  /** Request id, GitHub delivery id or CloudEvent id (audit `delivery`). */
  delivery?: string;
  /** Linked issue, when the caller knows it (`#12`). */
  issue?: string;
  /**
   * The repository and branch the transport's message names, for the record of a refusal whose input names
   * none (a NATS `shadow.switch` carries only the build's id in its input).
   */
  where?: { repo: string; branch: string };
  /**
   * The repository whose policy (and, for a token, whose scope) judged `principal`. An operation naming a shadow
   * build by id in another repository is refused (`runOperation`).
   */
  judgedIn?: string;
  /** An API caller's address and `User-Agent`, for the audit record (seed 004's `AuditLog`). */
  ipAddress?: string;
  userAgent?: string;
}

/** A branch of a repository; `repo` defaults to the configured repository when a transport omits it. */
export interface BranchInput {
  repo: string;
  branch: string;
}

/** `indexing.started`: ACTIVE|READY → LOCKED_FOR_WRITE with a BRANCH INDEXING lock. */
export interface IndexingStartedInput extends BranchInput {
  indexingId: string;
  /** The commit being indexed (dedupe key with the event id; kept in the lock's meta). */
  commit?: string;
  reason?: string;
  ttlSeconds?: number;
}

/** The indexer's own validation verdict (seed 001 `validation_results`). */
export interface IndexingValidation {
  passed: boolean;
  errors: string[];
}

/**
 * When the indexer says its run started and ended (seed 001's `started_at`/`completed_at`, ISO-8601): the
 * duration recorded and measured is theirs (`completedAt` defaults to now), not the lock's age.
 */
export interface ReportedTimes {
  startedAt?: string;
  completedAt?: string;
}

/** `indexing.completed`: LOCKED_FOR_WRITE → READY, then the auto-merge conditions are evaluated. */
export interface IndexingCompletedInput extends BranchInput, ReportedTimes {
  indexingId?: string;
  commit?: string;
  recordsIndexed?: number;
  validation?: IndexingValidation;
}

/** `indexing.failed`: → ERROR, every lock released, the linked PRs and issue told. */
export interface IndexingFailedInput extends BranchInput, ReportedTimes {
  indexingId?: string;
  commit?: string;
  error: string;
}

/** `indexing.heartbeat`: the run's holder renews its indexing lock, naming the run (id or fencing token). */
export interface IndexingHeartbeatInput extends BranchInput {
  indexingId?: string;
  fencingToken?: number;
  ttlSeconds?: number;
}

/** `shadow.fail`: the build failed (→ FAILED), releasing what it holds. */
export interface ShadowFailInput {
  shadowId: string;
  error: string;
}

/** `branch.set-state` (admin): a legal state change by hand (seed 000's set-state route). */
export interface SetStateInput extends BranchInput {
  state: BranchState;
  reason: string;
}

/** `shadow.start`: a build without any lock. `treeHash` defaults to the branch head's registry tree. */
export interface ShadowStartInput extends BranchInput {
  indexType: string;
  resourceTypes?: string[];
  treeHash?: string;
  /** Build from this commit's registry tree instead of the branch head (a PR head, for auto-merge). */
  commit?: string;
}

/** `shadow.progress`. */
export interface ShadowProgressInput {
  shadowId: string;
  progressPercent: number;
  etaSeconds?: number;
  recordCount?: number;
}

/** `shadow.complete`: BUILDING → BUILT. */
export interface ShadowCompleteInput {
  shadowId: string;
  recordCount: number;
  sizeBytes: number;
}

/** `shadow.switch`: the pre-switch checks, then the atomic pointer swap under a short lock. */
export interface ShadowSwitchInput {
  shadowId: string;
  force?: boolean;
  checks?: SwitchCheck[];
  /** The tree the build must match (INTEGRITY_CHECK); defaults to the branch head's registry tree. */
  currentTreeHash?: string;
}

/** `shadow.cancel`. */
export interface ShadowCancelInput {
  shadowId: string;
  reason?: string;
}

/** `shadow.status`. */
export interface ShadowStatusInput {
  shadowId: string;
}

/** `branch.force-unlock` (admin): every lock released, state → ACTIVE. */
export interface ForceUnlockInput extends BranchInput {
  reason: string;
}

/** `branch.status`. */
export type BranchStatusInput = BranchInput;

/** `locks.list` / `dashboard`: everything, or one repository. */
export interface RepoFilterInput {
  repo?: string;
}

/** What an indexing operation did. */
export interface IndexingResult {
  repo: string;
  branch: string;
  from: BranchState;
  to: BranchState;
  lock: Lock | null;
  durationMs: number | null;
  /** Resources whose write permission changed (`*`, `schema:*`, `schema:users`). */
  affected: string[];
  /** Open PRs whose `aegis/freeze` was re-run (empty when GitHub was not reachable). */
  reevaluated: number[];
  /** Auto-merge decisions taken after completion (one per open PR into the branch with auto-merge on). */
  autoMerge: AutoMergeReport[];
  /** Present when the change is made but its audit record is queued (the audit log is unreachable). */
  auditPending?: true;
}

/** The outcome of one auto-merge attempt. */
export interface AutoMergeReport {
  pull: number;
  merged: boolean;
  /** Unmet conditions or the failure, in words. */
  reasons: string[];
  /** The shadow switch made for it and whether it was rolled back. */
  switched?: string;
  rolledBack?: boolean;
}

/**
 * What a shadow operation returns: the build, and beside it seed 002's status fields under the seed's names
 * (camelCase here; the HTTP API answers them as `shadow_index_id`, `build_progress_percent`, …).
 */
export interface ShadowResult {
  shadow: ShadowBuild;
  shadowIndexId: string;
  branchName: string;
  indexType: string;
  state: ShadowState;
  buildProgressPercent: number;
  switchReady: boolean;
  estimatedSwitchDurationSeconds: number;
  estimatedCompletionSeconds: number | null;
  indexSizeBytes: number | null;
  recordCount: number | null;
  createdAt: number;
  completedAt: number | null;
  error: string | null;
  /** `shadow.start` (seed 002's start answer). */
  message?: string;
  estimatedBuildTimeMinutes?: number | null;
}

/** `shadow.switch`, with seed 002's answer fields. */
export interface ShadowSwitchResult extends ShadowResult {
  success: boolean;
  /** Whole milliseconds the switch lock was held. */
  switchDurationMs: number;
  checks: CheckResult[];
  errors: string[];
  pointer: IndexPointer;
  validationPassed: boolean;
  verificationPassed: boolean;
  verification: SwitchVerification | null;
  rolledBack: boolean;
  forced: boolean;
  message: string;
}

/** `branch.force-unlock`. */
export interface ForceUnlockResult {
  repo: string;
  branch: string;
  from: BranchState;
  released: Lock[];
  reevaluated: number[];
  /** Present when the change is made but its audit record is queued (the audit log is unreachable). */
  auditPending?: true;
}

/** One branch on the dashboard. */
export interface DashboardBranch extends BranchStatus {
  /** Seconds left on each lock (the page counts them down). */
  lockTtlSeconds: Record<string, number>;
}

/** `dashboard`: the seed's monitoring data. */
export interface DashboardData {
  now: number;
  branches: DashboardBranch[];
  locks: Lock[];
  shadows: (ShadowBuild & { etaSeconds: number | null })[];
  audit: {
    id: string;
    at: string;
    actor: string;
    action: string;
    branch: string;
    reason: string | null;
    issue: string | null;
  }[];
  totals: { activeLocks: number; lockedBranches: number; buildingShadows: number };
}

/** Every operation, its input and its output. */
export interface Operations {
  'indexing.started': [IndexingStartedInput, IndexingResult];
  'indexing.completed': [IndexingCompletedInput, IndexingResult];
  'indexing.failed': [IndexingFailedInput, IndexingResult];
  'indexing.heartbeat': [IndexingHeartbeatInput, { repo: string; branch: string; lock: Lock }];
  'shadow.start': [ShadowStartInput, ShadowResult];
  'shadow.progress': [ShadowProgressInput, ShadowResult];
  'shadow.complete': [ShadowCompleteInput, ShadowResult];
  'shadow.switch': [ShadowSwitchInput, ShadowSwitchResult];
  'shadow.cancel': [ShadowCancelInput, ShadowResult];
  'shadow.fail': [ShadowFailInput, ShadowResult];
  'shadow.status': [ShadowStatusInput, ShadowResult];
  'branch.force-unlock': [ForceUnlockInput, ForceUnlockResult];
  'branch.set-state': [
    SetStateInput,
    { repo: string; branch: string; from: BranchState; to: BranchState; released: Lock[] },
  ];
  'branch.status': [BranchStatusInput, BranchStatus];
  'locks.list': [RepoFilterInput, { locks: Lock[] }];
  dashboard: [RepoFilterInput, DashboardData];
}

/** An operation's name. */
export type OperationName = keyof Operations;
/** An operation's input. */
export type OperationInput<N extends OperationName> = Operations[N][0];
/** An operation's output. */
export type OperationOutput<N extends OperationName> = Operations[N][1];

/** The permission each operation needs: the operations' rows of the one action table (`rbac/authorize.ts`). */
export const OPERATION_PERMISSIONS: { readonly [N in OperationName]: string } = ACTION_PERMISSIONS;

/** GitHub for one repository: the bot's port plus what auto-merge needs, and where the repository lives. */
export interface RepoAccess {
  gh: GitHubPort & MergeApi;
  info: RepoInfo;
}

/**
 * The bot's parts the operations and their transports use: the freeze facade, the mirror (a registry tree
 * hash, a repository's policy), the metrics, what finds a PR's linked issue and keeps its audit comment, the
 * clock. Each handler asks for fewer (`operation-ports.ts`); the app's `BotContext` is one of these.
 */
export interface OperationBot {
  freeze: FreezeService;
  mirror: Pick<RepoMirror, 'sync'>;
  metrics: { registry: Registry; lockConflicts: { inc(): void } };
  config: Pick<BotConfig, 'issueKeyPattern' | 'botLogin'>;
  auditComments: Map<string, number>;
  clock: () => number;
}

/**
 * What the operations run in: the bot's parts they use and a way to reach GitHub for a repository (the app
 * looks its installation up), so that handlers can re-run `aegis/freeze`, tell linked PRs and issues, and
 * merge. `github` answers `undefined` when the repository has no installation. Every handler's narrow port
 * is a part of it.
 */
export interface OperationContext {
  bot: OperationBot;
  /** The checks' pipeline: lock changes re-run `aegis/freeze` through it (with auto-merge in this context). */
  gate: Gate;
  github(repo: string): Promise<RepoAccess | undefined>;
  /** The repository used when a message names none (`AEGIS_DEFAULT_REPO`). */
  defaultRepo?: string;
  /**
   * Seed 002's auto-switch (`AEGIS_SHADOW_AUTO_SWITCH=on`): a build completed from the branch head's own
   * schema tree is switched in at once (PR builds go through auto-merge instead).
   */
  autoSwitch?: boolean;
  log?: Log;
}

/**
 * One operation's handler: a plain async function, the same for every transport, given the part `C` of the
 * operations' context it uses.
 */
export type OperationHandler<N extends OperationName, C = OperationContext> = (
  ops: C,
  input: OperationInput<N>,
  caller: Caller,
) => Promise<OperationOutput<N>>;

/** The outcome of a CloudEvent: the operation it mapped to, or that it was a duplicate (same id + commit). */
export type CloudEventOutcome =
  { duplicate: true; operation: OperationName } | { duplicate: false; operation: OperationName; result: unknown };

/** Shadow states still in flight, for callers that poll. */
export type { ShadowState };
