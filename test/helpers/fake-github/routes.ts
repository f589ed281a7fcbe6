import type { FakeAnnotation, FakeCheckRun, FakeGitHubState } from './fake-github-state.js';
import { commitExists } from './git-objects.js';
import { checkRunJson, commentJson, issueJson, reactionJson } from './json-shapes.js';
import { MERGE_ROUTES } from './merge-routes.js';
import { paginate } from './paginate.js';
import { PULL_COMMITS_ROUTES } from './pull-commits-routes.js';
import { PULL_FILES_ROUTES } from './pull-files-routes.js';
import { REPO_ROUTES } from './repo-routes.js';

type Json = Record<string, unknown>;

/** What a route sees: path parameters, the query, the parsed JSON body and the URL of this page. */
export interface RouteRequest {
  params: string[];
  query: URLSearchParams;
  body: Json;
  pageUrl: string;
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** `app`: authenticated with the app's JWT rather than an installation token. */
  auth?: 'app';
  handle(state: FakeGitHubState, req: RouteRequest): RouteAnswer;
}

const BOT = 'aegis-test[bot]';
/** GitHub's limits: 65,536 characters in a comment body, 65,535 in a check run's summary or text. */
export const COMMENT_LIMIT = 65_536;
const OUTPUT_LIMIT = 65_535;
const repoOf = (p: string[]): string => `${p[0]}/${p[1]}`;
const invalid = (message: string): RouteAnswer => ({
  status: 422,
  body: { message, documentation_url: 'https://docs.github.com/rest/checks/runs' },
});
const tooLong = (): RouteAnswer => ({
  status: 422,
  body: {
    message: 'Validation Failed',
    errors: [
      {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: 'body is too long (maximum is 65536 characters)',
      },
    ],
    documentation_url: 'https://docs.github.com/rest/issues/comments',
  },
});

/** Why GitHub would refuse this check-run output (422), or undefined. */
function outputProblem(body: Json): string | undefined {
  const output = body['output'] as Json | undefined;
  const annotations = (output?.['annotations'] as unknown[] | undefined) ?? [];
  if (annotations.length > 50) return 'Invalid request.\n\nOnly 50 annotations are allowed per request.';
  for (const field of ['summary', 'text'] as const) {
    const text = output?.[field];
    if (typeof text === 'string' && text.length > OUTPUT_LIMIT) return `Invalid request.\n\n${field} is too long.`;
  }
  if (body['status'] === 'completed' && !body['conclusion']) return 'Invalid request.\n\nconclusion is required.';
  return undefined;
}

function applyOutput(run: FakeCheckRun, body: Json): void {
  if (typeof body['status'] === 'string') run.status = body['status'];
  if (typeof body['conclusion'] === 'string') {
    run.conclusion = body['conclusion'];
    run.status = 'completed';
  }
  if (run.status === 'completed') run.completedAt ??= new Date().toISOString();
  if (typeof body['external_id'] === 'string') run.externalId = body['external_id'];
  const output = body['output'] as Json | undefined;
  if (!output) return;
  if (typeof output['title'] === 'string') run.title = output['title'];
  if (typeof output['summary'] === 'string') run.summary = output['summary'];
  if (typeof output['text'] === 'string') run.text = output['text'];
  const annotations = (output['annotations'] as FakeAnnotation[] | undefined) ?? [];
  if (annotations.length > 0) run.annotationBatches.push(annotations.length);
  run.annotations.push(...annotations);
}

/** Whether comments on `repo#issue` are possible: 404 missing, 410 issues off, 403 locked (when writing). */
function issueRefusal(state: FakeGitHubState, repo: string, number: number, writing: boolean): RouteAnswer | undefined {
  const issue = state.issue(repo, number);
  if (issue === 'missing') return { status: 404, body: { message: 'Not Found' } };
  if (issue === 'disabled') return { status: 410, body: { message: 'Issues are disabled for this repo' } };
  if (writing && issue.locked)
    return { status: 403, body: { message: 'Unable to create comment because issue is locked.' } };
  return undefined;
}

const CHECK_RUN_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/,
    handle(state, { params, body }) {
      const problem = outputProblem(body);
      if (problem) return invalid(problem);
      const repo = state.repos.get(repoOf(params));
      const sha = String(body['head_sha']);
      if (!repo || !commitExists(repo.gitDir, sha)) return invalid(`No commit found for SHA: ${sha}`);
      const run: FakeCheckRun = {
        id: state.id(),
        repo: repoOf(params),
        name: String(body['name']),
        headSha: sha,
        status: 'queued',
        conclusion: null,
        title: '',
        summary: '',
        text: null,
        annotations: [],
        annotationBatches: [],
        externalId: null,
        appId: state.appId,
        startedAt: typeof body['started_at'] === 'string' ? body['started_at'] : new Date().toISOString(),
        completedAt: typeof body['completed_at'] === 'string' ? body['completed_at'] : null,
      };
      applyOutput(run, body);
      state.checkRuns.push(run);
      return { status: 201, body: checkRunJson(state, run) };
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/,
    handle(state, { params, body }) {
      const run = state.checkRuns.find((c) => c.id === Number(params[2]) && c.repo === repoOf(params));
      if (!run || run.appId !== state.appId) return { status: 404, body: { message: 'Not Found' } };
      const problem = outputProblem(body);
      if (problem) return invalid(problem);
      applyOutput(run, body);
      return { status: 200, body: checkRunJson(state, run) };
    },
  },
];

const COMMENT_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
    handle(state, { params }) {
      const issue = state.issue(repoOf(params), Number(params[2]));
      if (issue === 'missing') return { status: 404, body: { message: 'Not Found' } };
      if (issue === 'disabled') return { status: 410, body: { message: 'Issues are disabled for this repo' } };
      return { status: 200, body: issueJson(repoOf(params), Number(params[2]), issue) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
    handle(state, { params, query, pageUrl }) {
      const refused = issueRefusal(state, repoOf(params), Number(params[2]), false);
      if (refused) return refused;
      const list = state.comments.filter((c) => c.repo === repoOf(params) && c.issue === Number(params[2]));
      const page = paginate(list, query, pageUrl);
      return { status: 200, body: page.items.map(commentJson), headers: page.headers };
    },
  },
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
    handle(state, { params, body }) {
      const refused = issueRefusal(state, repoOf(params), Number(params[2]), true);
      if (refused) return refused;
      if (String(body['body']).length > COMMENT_LIMIT) return tooLong();
      const c = {
        id: state.id(),
        repo: repoOf(params),
        issue: Number(params[2]),
        body: String(body['body']),
        user: BOT,
        updates: 0,
      };
      state.comments.push(c);
      return { status: 201, body: commentJson(c) };
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
    handle(state, { params, body }) {
      const c = state.comments.find((x) => x.id === Number(params[2]) && x.repo === repoOf(params));
      if (!c) return { status: 404, body: { message: 'Not Found' } };
      const refused = issueRefusal(state, c.repo, c.issue, true);
      if (refused) return refused;
      if (String(body['body']).length > COMMENT_LIMIT) return tooLong();
      c.body = String(body['body']);
      c.updates += 1;
      return { status: 200, body: commentJson(c) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/reactions$/,
    handle(state, { params, body }) {
      if (!state.comments.some((x) => x.id === Number(params[2]) && x.repo === repoOf(params)))
        return { status: 404, body: { message: 'Not Found' } };
      state.reactions.push({ repo: repoOf(params), commentId: Number(params[2]), content: String(body['content']) });
      return { status: 201, body: reactionJson(state.id(), String(body['content']), BOT) };
    },
  },
];

/** The REST endpoints the app is allowed to use. Anything else is an unexpected call. */
export const ROUTES: Route[] = [
  ...REPO_ROUTES,
  ...MERGE_ROUTES,
  ...PULL_FILES_ROUTES,
  ...PULL_COMMITS_ROUTES,
  ...CHECK_RUN_ROUTES,
  ...COMMENT_ROUTES,
];
