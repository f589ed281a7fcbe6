import { createHmac } from 'node:crypto';
import examples from '@octokit/webhooks-examples' with { type: 'json' };

type Json = Record<string, unknown>;

/** `sha256=<hex>`: the X-Hub-Signature-256 GitHub sends, computed over the exact body bytes. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A deep copy of the first @octokit/webhooks-examples payload of `event`/`action`. */
export function examplePayload(event: string, action: string): Json {
  const group = (examples as unknown as { name: string; examples: Json[] }[]).find((e) => e.name === event);
  const found = group?.examples.find((x) => x['action'] === action);
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${event}.${action}`);
  return structuredClone(found);
}

/** Where the test repository lives: `owner/name`, and the installation the app has on it. */
export interface TestRepoRef {
  fullName: string;
  installationId: number;
  defaultBranch?: string;
  /** The web host of the repository pages (an Enterprise host); default https://github.com. */
  webBase?: string;
}

function retarget(payload: Json, repo: TestRepoRef, sender: string): Json {
  const [owner, name] = repo.fullName.split('/') as [string, string];
  const repository = payload['repository'] as Json;
  Object.assign(repository, {
    full_name: repo.fullName,
    name,
    default_branch: repo.defaultBranch ?? 'main',
    html_url: `${repo.webBase ?? 'https://github.com'}/${repo.fullName}`,
  });
  Object.assign(repository['owner'] as Json, { login: owner });
  payload['installation'] = { id: repo.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  Object.assign(payload['sender'] as Json, { login: sender, type: sender.endsWith('[bot]') ? 'Bot' : 'User' });
  delete payload['organization'];
  return payload;
}

/** The pull request fields a test controls. */
export interface TestPull {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha?: string;
  body: string | null;
  author: string;
  title?: string;
  state?: 'open' | 'closed';
  merged?: boolean;
  /** A draft pull request (GitHub will not merge it; `mergeable_state` is `draft`). */
  draft?: boolean;
  /** The fork the head branch lives in (`mallory/registry`), when it is not the base repository. */
  fork?: string;
}

/** The `pull_request` object GitHub sends and returns for `pull`. */
export function pullObject(
  pull: TestPull,
  repo: TestRepoRef,
  base: Json = examplePayload('pull_request', 'opened'),
): Json {
  const pr = structuredClone(base['pull_request'] as Json);
  Object.assign(pr, {
    number: pull.number,
    title: pull.title ?? `PR ${pull.number}`,
    body: pull.body,
    state: pull.state ?? 'open',
    merged: pull.merged ?? false,
    draft: pull.draft ?? false,
  });
  pr['auto_merge'] ??= null;
  Object.assign(pr['user'] as Json, { login: pull.author, type: pull.author.endsWith('[bot]') ? 'Bot' : 'User' });
  const headRepo = pull.fork ?? repo.fullName;
  const label = `${headRepo.split('/')[0]}:${pull.headRef}`;
  Object.assign(pr['head'] as Json, { sha: pull.headSha, ref: pull.headRef, label });
  Object.assign(pr['base'] as Json, { sha: pull.baseSha ?? '0'.repeat(40), ref: pull.baseRef });
  for (const [side, fullName] of [
    ['head', headRepo],
    ['base', repo.fullName],
  ] as const) {
    const r = (pr[side] as Json)['repo'] as Json;
    const [owner = '', name = ''] = fullName.split('/');
    Object.assign(r, { full_name: fullName, name, fork: side === 'head' && pull.fork !== undefined });
    Object.assign(r['owner'] as Json, { login: owner });
  }
  return pr;
}

/**
 * A `pull_request` delivery (`opened`, `synchronize`, `reopened`, `edited`, `closed`); `sender` is who acted
 * (who pushed, for `synchronize`), the PR author unless told.
 */
export function pullRequestPayload(action: string, pull: TestPull, repo: TestRepoRef, sender = pull.author): Json {
  const payload = retarget(examplePayload('pull_request', 'opened'), repo, sender);
  payload['action'] = action;
  payload['number'] = pull.number;
  payload['pull_request'] = pullObject(pull, repo);
  if (action === 'edited') payload['changes'] = { body: { from: '' } };
  return payload;
}

/** A `repository_dispatch` delivery (GitHub's example payload) with an `aegis.*` action and its client payload. */
export function repositoryDispatchPayload(
  action: string,
  sender: string,
  clientPayload: Record<string, unknown>,
  repo: TestRepoRef,
): Json {
  const payload = retarget(examplePayload('repository_dispatch', 'on-demand-test'), repo, sender);
  return { ...payload, action, branch: repo.defaultBranch ?? 'main', client_payload: clientPayload };
}

/** An `issue_comment` delivery on a pull request (or an issue when `onPull` is false). */
export function issueCommentPayload(
  action: 'created' | 'edited' | 'deleted',
  comment: { id: number; body: string; author: string; issueNumber: number; onPull?: boolean },
  repo: TestRepoRef,
  sender = comment.author,
): Json {
  const payload = retarget(examplePayload('issue_comment', action === 'edited' ? 'edited' : 'created'), repo, sender);
  payload['action'] = action;
  const issue = payload['issue'] as Json;
  issue['number'] = comment.issueNumber;
  if (comment.onPull === false) delete issue['pull_request'];
  else issue['pull_request'] = { url: `https://api.github.com/repos/${repo.fullName}/pulls/${comment.issueNumber}` };
  const c = payload['comment'] as Json;
  Object.assign(c, { id: comment.id, body: comment.body });
  Object.assign(c['user'] as Json, {
    login: comment.author,
    type: comment.author.endsWith('[bot]') ? 'Bot' : 'User',
  });
  if (action === 'edited') payload['changes'] = { body: { from: '/help' } };
  return payload;
}

/** A `check_run.rerequested` delivery for one of the app's check runs. */
export function checkRunPayload(name: string, headSha: string, pullNumbers: number[], repo: TestRepoRef): Json {
  const payload = retarget(examplePayload('check_run', 'rerequested'), repo, 'octocat');
  const run = payload['check_run'] as Json;
  Object.assign(run, { name, head_sha: headSha });
  run['pull_requests'] = pullNumbers.map((n) => ({ number: n, head: { sha: headSha }, base: { ref: 'main' } }));
  return payload;
}

/** A `check_suite` delivery (`requested` / `rerequested`). */
export function checkSuitePayload(action: string, headSha: string, pullNumbers: number[], repo: TestRepoRef): Json {
  const payload = retarget(examplePayload('check_suite', action), repo, 'octocat');
  const suite = payload['check_suite'] as Json;
  Object.assign(suite, { head_sha: headSha });
  suite['pull_requests'] = pullNumbers.map((n) => ({ number: n, head: { sha: headSha }, base: { ref: 'main' } }));
  return payload;
}

/** Posts a signed delivery to the app; returns the HTTP status. `signature: null` sends none. */
export async function deliver(
  url: string,
  event: string,
  payload: Json,
  options: { secret: string; id?: string; signature?: string | null },
): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': options.id ?? crypto.randomUUID(),
  };
  const signature = options.signature === undefined ? signWebhook(options.secret, body) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}
