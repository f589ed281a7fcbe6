import type { IssueStatus } from '../github.js';
import type { CheckResult } from './check-result.js';

/** An issue a PR links: `#12` in this repository, `owner/repo#12`, or a key such as `OMS-123`. */
export interface LinkedIssue {
  /** As stored in audit records: `#12`, `acme/other#12`, `OMS-123`. */
  key: string;
  /** The issue number in this repository, when the link is one (the audit comment goes there). */
  number?: number;
  keyword: string;
}

const CLOSING =
  /\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?|refs?|references|relates to|part of)\b:?\s+((?:[\w.-]+\/[\w.-]+)?#(\d+))/gi;

/**
 * The issue a PR body links, by closing keyword (`Fixes #12`), reference (`Refs #12`) or a configured key
 * pattern (`OMS-\d+`). The first link wins.
 */
export function findLinkedIssue(body: string | null | undefined, keyPattern?: RegExp): LinkedIssue | undefined {
  const text = (body ?? '').replace(/<!--[\s\S]*?-->/g, '');
  const m = new RegExp(CLOSING.source, CLOSING.flags).exec(text);
  if (m) {
    const ref = m[2] ?? '';
    const local = ref.startsWith('#');
    return { key: ref, keyword: m[1] ?? '', ...(local ? { number: Number(m[3]) } : {}) };
  }
  if (keyPattern) {
    const k = new RegExp(keyPattern.source, keyPattern.flags.replace('g', '')).exec(text);
    if (k) return { key: k[0], keyword: 'key' };
  }
  return undefined;
}

function brokenLink(linked: LinkedIssue, status: IssueStatus | undefined): CheckResult | undefined {
  if (status !== 'missing' && status !== 'disabled') return undefined;
  const why =
    status === 'missing'
      ? `Issue **${linked.key}** does not exist in this repository (GitHub answers 404: deleted, transferred or mistyped).`
      : `Issues are disabled in this repository (GitHub answers 410), so **${linked.key}** cannot carry the audit trail.`;
  return {
    name: 'aegis/audit',
    conclusion: 'failure',
    title: status === 'missing' ? `${linked.key} does not exist` : 'Issues are disabled here',
    summary: `${why} Edit the PR description to link an existing issue; this check re-runs when the description is saved.`,
    annotations: [],
  };
}

/**
 * `aegis/audit`: the PR must name the issue it belongs to, and a `#n` of this repository must exist (`status`,
 * as GitHub answered); the summary names it.
 */
export function auditCheck(linked: LinkedIssue | undefined, keyPattern?: RegExp, status?: IssueStatus): CheckResult {
  const broken = linked && brokenLink(linked, status);
  if (broken) return broken;
  if (linked) {
    return {
      name: 'aegis/audit',
      conclusion: 'success',
      title: `Linked to ${linked.key}`,
      summary: `This pull request belongs to **${linked.key}** (\`${linked.keyword}\`). Its locks, refusals and audit records are mirrored on that issue.`,
      annotations: [],
    };
  }
  const keys = keyPattern ? `, or a key matching \`${keyPattern.source}\`` : '';
  return {
    name: 'aegis/audit',
    conclusion: 'failure',
    title: 'No linked issue',
    summary: `Every schema change must name its issue. Edit the PR description to add \`Fixes #123\` or \`Refs #123\`${keys}; this check re-runs when the description is saved.`,
    annotations: [],
  };
}
