import { randomBytes } from 'node:crypto';
import { BASE_ROLES } from './fake-github-state.js';
import { GitHubContract } from './github-contract.js';
import { permissionJson } from './json-shapes.js';
import type { Route } from './routes.js';

const repoOf = (p: string[]): string => `${p[0]}/${p[1]}`;
const example = (route: string, status: number) => GitHubContract.get().example(route, status);

/**
 * The app's own endpoints (installation tokens, its installation on a repository, authenticated with its JWT),
 * the repository itself, and who may do what on it.
 */
export const REPO_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/app\/installations\/(\d+)\/access_tokens$/,
    auth: 'app',
    handle(state, { params }) {
      const token = `ghs_${randomBytes(12).toString('hex')}`;
      const expires = Date.now() + state.tokenLifetimeMs;
      state.tokens.add(token);
      state.tokenInstallation.set(token, params[0] ?? '');
      state.tokenExpiry.set(token, expires);
      const body = example('POST /app/installations/{installation_id}/access_tokens', 201);
      delete body['repositories'];
      Object.assign(body, { token, expires_at: new Date(expires).toISOString(), repository_selection: 'all' });
      return { status: 201, body };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/installation$/,
    auth: 'app',
    handle(state, { params }) {
      if (!state.repos.has(repoOf(params))) return { status: 404, body: { message: 'Not Found' } };
      const body = example('GET /repos/{owner}/{repo}/installation', 200);
      return { status: 200, body: { ...body, id: 77, app_id: state.appId } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)$/,
    handle(state, { params }) {
      const repo = state.repos.get(repoOf(params));
      if (!repo) return { status: 404, body: { message: 'Not Found' } };
      const body = example('GET /repos/{owner}/{repo}', 200);
      const [owner = '', name = ''] = params;
      Object.assign(body, {
        name,
        full_name: repoOf(params),
        default_branch: repo.defaultBranch,
        clone_url: `https://github.invalid/${repoOf(params)}.git`,
        html_url: `https://github.invalid/${repoOf(params)}`,
        has_issues: !repo.issuesDisabled,
        language: 'YAML',
        allow_merge_commit: repo.mergeMethods.has('merge'),
        allow_squash_merge: repo.mergeMethods.has('squash'),
        allow_rebase_merge: repo.mergeMethods.has('rebase'),
      });
      Object.assign(body['owner'] as object, { login: owner });
      // Not a fork and not from a template: GitHub leaves these out.
      for (const key of ['parent', 'source', 'template_repository']) delete body[key];
      return { status: 200, body };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/,
    handle(state, { params }) {
      const login = params[2] ?? '';
      if (state.permissionNotFound.has(login.toLowerCase())) return { status: 404, body: { message: 'Not Found' } };
      const role = state.permissions.get(login.toLowerCase()) ?? 'none';
      const permission = BASE_ROLES[role] ?? BASE_ROLES[state.customRoles.get(role) ?? 'none'] ?? 'none';
      return { status: 200, body: permissionJson(login, permission, role) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/,
    handle(state, { params }) {
      const members = state.teams.get(`${params[0]}/${params[1]}`.toLowerCase());
      const login = (params[2] ?? '').toLowerCase();
      if (!members?.has(login)) return { status: 404, body: { message: 'Not Found' } };
      const url = `https://api.github.com/teams/1/memberships/${login}`;
      return { status: 200, body: { url, role: 'member', state: 'active' } };
    },
  },
];
