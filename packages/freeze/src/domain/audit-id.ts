import { randomUUID } from 'node:crypto';

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function compactTimestamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The structured audit id (SPEC §4, seed 001):
 * `audit-<repo>:branch:<branch>:<action>:<YYYYMMDDTHHMMSSZ>:<uuid>`.
 */
export function auditId(repo: string, branch: string, action: string, at: Date, uuid: string = randomUUID()): string {
  return `audit-${repo}:branch:${branch}:${action}:${compactTimestamp(at)}:${uuid}`;
}

const ID = /^audit-(.+):branch:(.+):([^:]+):(\d{8}T\d{6}Z):([0-9a-f-]{36})$/;

/** Parses an audit id back into its parts, or undefined if it is not one. */
export function parseAuditId(
  id: string,
): { repo: string; branch: string; action: string; timestamp: string; uuid: string } | undefined {
  const m = ID.exec(id);
  if (!m) return undefined;
  const [, repo = '', branch = '', action = '', timestamp = '', uuid = ''] = m;
  return { repo, branch, action, timestamp, uuid };
}
