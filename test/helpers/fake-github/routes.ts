import type { FakeAnnotation, FakeGitHubState } from './fake-github-state.js';
import { MERGE_ROUTES } from './merge-routes.js';
import { pullObject } from './webhooks.js';

type Json = Record<string, unknown>;

/** What a route sees: path parameters, the query and the parsed JSON body. */
export interface RouteRequest {
  params: string[];
  query: URLSearchParams;
  body: Json;
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  handle(state: FakeGitHubState, req: RouteRequest): RouteAnswer;
}

const BOT = 'aegis-test[bot]';

/** GitHub's paging: `per_page` (default 30, at most 100) and `page` (from 1). */
function page<T>(items: T[], query: URLSearchParams): T[] {
  const size = Math.min(100, Number(query.get('per_page') ?? 30));
  const from = (Number(query.get('page') ?? 1) - 1) * size;
  return items.slice(from, from + size);
}
const repoOf = (p: string[]): string => `${p[0]}/${p[1]}`;

function checkRunJson(run: FakeGitHubState['checkRuns'][number]): Json {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.headSha,
    status: run.status,
    conclusion: run.conclusion,
    html_url: `https://github.invalid/${run.repo}/runs/${run.id}`,
    external_id: run.externalId,
  };
}

function applyOutput(run: FakeGitHubState['checkRuns'][number], body: Json): void {
  if (typeof body['status'] === 'string') run.status = body['status'];
  if (typeof body['conclusion'] === 'string') run.conclusion = body['conclusion'];
  if (typeof body['external_id'] === 'string') run.externalId = body['external_id'];
  const output = body['output'] as Json | undefined;
  if (!output) return;
  if (typeof output['title'] === 'string') run.title = output['title'];
  if (typeof output['summary'] === 'string') run.summary = output['summary'];
  if (typeof output['text'] === 'string') run.text = output['text'];
  const annotations = (output['annotations'] as FakeAnnotation[] | undefined) ?? [];
  if (annotations.length > 50)
    throw new Error(`check run ${run.name}: ${annotations.length} annotations in one request`);
  if (annotations.length > 0) run.annotationBatches.push(annotations.length);
  run.annotations.push(...annotations);
}

const commentJson = (c: { id: number; body: string; user: string; issue: number }): Json => ({
  id: c.id,
  body: c.body,
  user: { login: c.user, type: c.user.endsWith('[bot]') ? 'Bot' : 'User' },
  html_url: `https://github.invalid/comments/${c.id}`,
});

/** The REST endpoints the app is allowed to use. Anything else is an unexpected call. */
export const ROUTES: Route[] = [
  // First, so that GET pulls/{n} answers with mergeability (auto-merge, docs/indexing-api.md).
  ...MERGE_ROUTES,
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/,
    handle(state, { params, body }) {
      const run = {
        id: state.id(),
        repo: repoOf(params),
        name: String(body['name']),
        headSha: String(body['head_sha']),
        status: 'queued',
        conclusion: null,
        title: '',
        summary: '',
        text: null,
        annotations: [],
        annotationBatches: [],
        externalId: null,
      };
      applyOutput(run, body);
      state.checkRuns.push(run);
      return { status: 201, body: checkRunJson(run) };
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/,
    handle(state, { params, body }) {
      const run = state.checkRuns.find((c) => c.id === Number(params[2]) && c.repo === repoOf(params));
      if (!run) return { status: 404, body: { message: 'Not Found' } };
      applyOutput(run, body);
      return { status: 200, body: checkRunJson(run) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
    handle(state, { params, query }) {
      const list = state.comments.filter((c) => c.repo === repoOf(params) && c.issue === Number(params[2]));
      return { status: 200, body: page(list, query).map(commentJson) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
    handle(state, { params, body }) {
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
      c.body = String(body['body']);
      c.updates += 1;
      return { status: 200, body: commentJson(c) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/reactions$/,
    handle(state, { params, body }) {
      state.reactions.push({ repo: repoOf(params), commentId: Number(params[2]), content: String(body['content']) });
      return { status: 201, body: { id: state.id(), content: body['content'] } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/,
    handle(state, { params }) {
      const pull = state.pull(repoOf(params), Number(params[2]));
      if (!pull) return { status: 404, body: { message: 'Not Found' } };
      return { status: 200, body: pullObject(pull, { fullName: repoOf(params), installationId: 1 }) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls$/,
    handle(state, { params, query }) {
      const repo = repoOf(params);
      const list = [...state.pulls.entries()]
        .filter(([k, p]) => k.startsWith(`${repo}#`) && (p.state ?? 'open') === (query.get('state') ?? 'open'))
        .filter(([, p]) => !query.get('base') || p.baseRef === query.get('base'))
        .map(([, p]) => pullObject(p, { fullName: repo, installationId: 1 }));
      return { status: 200, body: page(list, query) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/,
    handle(state, { params }) {
      const login = decodeURIComponent(params[2] ?? '');
      const permission = state.permissions.get(login.toLowerCase()) ?? 'none';
      return { status: 200, body: { permission, role_name: permission, user: { login } } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/,
    handle(state, { params }) {
      const members = state.teams.get(`${params[0]}/${params[1]}`.toLowerCase());
      const login = decodeURIComponent(params[2] ?? '').toLowerCase();
      if (!members?.has(login)) return { status: 404, body: { message: 'Not Found' } };
      return { status: 200, body: { state: 'active', role: 'member' } };
    },
  },
];
