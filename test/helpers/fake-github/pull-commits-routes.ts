import { execFileSync } from 'node:child_process';
import type { FakeGitHubState } from './fake-github-state.js';
import { userJson } from './json-shapes.js';
import { paginate } from './paginate.js';
import type { Route } from './routes.js';

type Json = Record<string, unknown>;

/** GitHub lists at most this many commits of a pull request ("Lists a maximum of 250 commits"). */
export const PULL_COMMITS_CAP = 250;

const API = 'https://api.github.com';
const repoOf = (p: string[]): string => `${p[0]}/${p[1]}`;
const git = (gitDir: string, ...args: string[]): string =>
  execFileSync('git', ['--git-dir', gitDir, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });

// One record per commit (RS-separated), its fields NUL-separated; the message last, as it may hold anything else.
const FORMAT = '%H%x00%P%x00%T%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e';

/** The account GitHub maps a commit email to (a verified email of that account), or null. */
function accountOf(state: FakeGitHubState, email: string): Json | null {
  const login = state.emails.get(email.toLowerCase());
  return login ? userJson(login) : null;
}

/** One `commit` as the pull commits endpoint answers it. */
function commitJson(state: FakeGitHubState, repo: string, record: string): Json {
  const [sha = '', parents = '', tree = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', message = ''] =
    record.split('\0');
  const url = `${API}/repos/${repo}/commits/${sha}`;
  return {
    url,
    sha,
    node_id: Buffer.from(`Commit${sha}`).toString('base64'),
    html_url: `https://github.com/${repo}/commit/${sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${API}/repos/${repo}/git/commits/${sha}`,
      author: { name: an, email: ae, date: ad },
      committer: { name: cn, email: ce, date: cd },
      message: message.replace(/\n+$/, ''),
      comment_count: 0,
      tree: { sha: tree, url: `${API}/repos/${repo}/git/trees/${tree}` },
    },
    author: accountOf(state, ae),
    committer: accountOf(state, ce),
    parents: parents
      .split(' ')
      .filter(Boolean)
      .map((p) => ({
        sha: p,
        url: `${API}/repos/${repo}/commits/${p}`,
        html_url: `https://github.com/${repo}/commit/${p}`,
      })),
  };
}

/**
 * The commits of a pull request as GitHub lists them: those of the head not on the base branch, oldest first,
 * the first `PULL_COMMITS_CAP` only; `author`/`committer` are the accounts whose verified email the commit
 * carries (`state.emails`), null when no account has it.
 */
function pullCommits(state: FakeGitHubState, gitDir: string, repo: string, baseRef: string, headSha: string): Json[] {
  const out = git(gitDir, 'log', '--reverse', '--topo-order', `--format=${FORMAT}`, headSha, `^refs/heads/${baseRef}`);
  const records = out
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r !== '');
  return records.slice(0, PULL_COMMITS_CAP).map((r) => commitJson(state, repo, r));
}

/** `GET …/pulls/{n}/commits`: paginated, at most 250 commits, as GitHub documents. */
export const PULL_COMMITS_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/commits$/,
    handle(state: FakeGitHubState, { params, query, pageUrl }) {
      const repo = state.repos.get(repoOf(params));
      const pull = state.pull(repoOf(params), Number(params[2]));
      if (!repo || !pull) return { status: 404, body: { message: 'Not Found' } };
      const commits = pullCommits(state, repo.gitDir, repoOf(params), pull.baseRef, pull.headSha);
      const page = paginate(commits, query, pageUrl);
      return { status: 200, body: page.items, headers: page.headers };
    },
  },
];
