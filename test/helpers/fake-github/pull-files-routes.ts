import { execFileSync } from 'node:child_process';
import type { FakeGitHubState } from './fake-github-state.js';
import { paginate } from './paginate.js';
import type { Route } from './routes.js';

type Json = Record<string, unknown>;

/** GitHub lists at most this many files of a pull request ("Responses include a maximum of 3000 files"). */
export const PULL_FILES_CAP = 3000;

const repoOf = (p: string[]): string => `${p[0]}/${p[1]}`;
const git = (gitDir: string, ...args: string[]): string =>
  execFileSync('git', ['--git-dir', gitDir, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
/** Listings by repository, base and head: every page of a large pull request reads the same diff. */
const listings = new Map<string, Json[]>();

const STATUS: Record<string, string> = { A: 'added', D: 'removed', M: 'modified', R: 'renamed', C: 'copied' };

/**
 * The files of a pull request as GitHub lists them: the three-dot diff (merge base of the base branch and the
 * head, to the head), renames detected, in path order, at most `PULL_FILES_CAP` entries.
 */
function pullFiles(gitDir: string, repo: string, baseRef: string, headSha: string): Json[] {
  const base = git(gitDir, 'merge-base', `refs/heads/${baseRef}`, headSha).trim();
  const key = `${gitDir}\0${base}\0${headSha}`;
  const known = listings.get(key);
  if (known) return known;
  const raw = git(gitDir, 'diff', '--raw', '-z', '-M', '--no-abbrev', base, headSha).split('\0');
  const counts = new Map<string, [number, number]>();
  const numstat = git(gitDir, 'diff', '--numstat', '-z', '-M', base, headSha).split('\0');
  for (let i = 0; i < numstat.length; i++) {
    const [added = '0', deleted = '0', path = ''] = (numstat[i] ?? '').split('\t');
    // A rename is written `added\tdeleted\t` followed by the old and the new path as two fields.
    const file = path === '' ? numstat[(i += 2)] : path;
    if (file) counts.set(file, [Number(added) || 0, Number(deleted) || 0]);
  }
  const files: Json[] = [];
  for (let i = 0; i + 1 < raw.length;) {
    const meta = (raw[i++] ?? '').split(' ');
    const letter = (meta[4] ?? 'M').charAt(0);
    const from = raw[i++] ?? '';
    const to = letter === 'R' || letter === 'C' ? (raw[i++] ?? '') : from;
    const sha = letter === 'D' ? (meta[2] ?? '') : (meta[3] ?? '');
    const [additions, deletions] = counts.get(to) ?? [0, 0];
    const at = letter === 'D' ? base : headSha;
    files.push({
      sha,
      filename: to,
      status: STATUS[letter] ?? 'changed',
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.invalid/${repo}/blob/${at}/${encodeURI(to)}`,
      raw_url: `https://github.invalid/${repo}/raw/${at}/${encodeURI(to)}`,
      contents_url: `https://api.github.invalid/repos/${repo}/contents/${encodeURI(to)}?ref=${at}`,
      ...(to !== from ? { previous_filename: from } : {}),
    });
  }
  files.sort((a, b) => (String(a['filename']) < String(b['filename']) ? -1 : 1));
  const capped = files.slice(0, PULL_FILES_CAP);
  listings.set(key, capped);
  return capped;
}

/** One entry of a directory listing (`content-directory`). */
function entryJson(repo: string, ref: string, type: string, sha: string, size: number, entryPath: string): Json {
  const api = `https://api.github.invalid/repos/${repo}/contents/${encodeURI(entryPath)}?ref=${ref}`;
  const html = `https://github.invalid/${repo}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${encodeURI(entryPath)}`;
  const gitUrl = `https://api.github.invalid/repos/${repo}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`;
  return {
    type,
    size,
    name: entryPath.split('/').at(-1) ?? entryPath,
    path: entryPath,
    sha,
    url: api,
    git_url: gitUrl,
    html_url: html,
    download_url: type === 'file' ? `https://raw.invalid/${repo}/${ref}/${encodeURI(entryPath)}` : null,
    _links: { self: api, git: gitUrl, html },
  };
}

/**
 * `GET …/pulls/{n}/files` (paginated, at most 3,000 files, as GitHub documents) and `GET …/contents/{path}` for
 * a directory (the app asks whether `.kiro` exists at a commit; a missing path answers 404).
 */
export const PULL_FILES_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/,
    handle(state: FakeGitHubState, { params, query, pageUrl }) {
      const repo = state.repos.get(repoOf(params));
      const pull = state.pull(repoOf(params), Number(params[2]));
      if (!repo || !pull) return { status: 404, body: { message: 'Not Found' } };
      const page = paginate(pullFiles(repo.gitDir, repoOf(params), pull.baseRef, pull.headSha), query, pageUrl);
      return { status: 200, body: page.items, headers: page.headers };
    },
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/contents\/([^/]+)$/,
    handle(state: FakeGitHubState, { params, query }) {
      const repo = state.repos.get(repoOf(params));
      const ref = query.get('ref') ?? repo?.defaultBranch ?? '';
      const dir = params[2] ?? '';
      let listing: string;
      try {
        listing = repo ? git(repo.gitDir, 'ls-tree', '-l', '-z', `${ref}:${dir}`) : '';
      } catch {
        listing = '';
      }
      if (!repo || listing === '') return { status: 404, body: { message: 'Not Found' } };
      const entries = listing
        .split('\0')
        .filter((l) => l !== '')
        .map((line) => {
          const [meta = '', name = ''] = line.split('\t');
          const [, kind = '', sha = '', size = '-'] = meta.split(/ +/);
          const type = kind === 'tree' ? 'dir' : kind === 'commit' ? 'submodule' : 'file';
          return entryJson(repoOf(params), ref, type, sha, Number(size) || 0, `${dir}/${name}`);
        });
      return { status: 200, body: entries };
    },
  },
];
