import type { Range } from '../position.js';

/** One role: a name and the permission patterns it grants (`schema:*`, `branch:lock`). */
export interface RbacRole {
  name: string;
  permissions: string[];
  range: Range;
}

/** One `members` entry: a GitHub login (`octocat`, `funnel-indexer[bot]`) or a team (`@org/team`). */
export interface RbacMember {
  /** As written: `octocat` or `@org/team`. */
  subject: string;
  roles: string[];
  range: Range;
}

/** One `owners` entry: the owner service of schemas, and the users/teams who may write them. */
export interface RbacOwner {
  service: string;
  writers: string[];
  range: Range;
}

/**
 * The policy read from `.kiro/rbac.yaml` (always the default branch's copy). Built best-effort: entries
 * with errors are left out and reported as diagnostics, so a broken file never grants more than it says.
 */
export interface RbacPolicy {
  file: string;
  roles: Map<string, RbacRole>;
  members: RbacMember[];
  owners: Map<string, RbacOwner>;
}

/** The repository permission GitHub reports for a user (`GET /collaborators/{user}/permission`). */
export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** Who is asking: the login, the teams (`org/team` slugs) they belong to, their GitHub repository permission. */
export interface RbacActor {
  login: string;
  teams?: readonly string[];
  repoPermission?: RepoPermission;
}

/** What is acted on: a schema (by name and owner service), a branch, or nothing in particular. */
export interface RbacResource {
  type: 'schema' | 'branch' | 'index' | 'proposal' | 'audit';
  name?: string;
  /** The schema's `owner` service: write permissions on it also need ownership. */
  owner?: string;
}

/** The one answer: allowed or not, the roles that applied and why, in a sentence a PR comment can carry. */
export interface RbacDecision {
  allowed: boolean;
  roles: string[];
  /** How the roles were found: the policy's members, or the GitHub permission fallback. */
  via: 'members' | 'github-permission' | 'none';
  reason: string;
}

/** The path the policy is read from, relative to the repository root. */
export const RBAC_POLICY_PATH = '.kiro/rbac.yaml';
