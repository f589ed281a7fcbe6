import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, Pair } from 'yaml';
import type { Diagnostic, DiagnosticCode } from '../diagnostic.js';
import type { Range } from '../position.js';
import { expandPermissionShorthand, isKnownPermissionPattern, meaninglessReason } from './permissions.js';
import type { RbacMember, RbacOwner, RbacPolicy, RbacRole } from './rbac-policy.js';

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const TEAM = /^@[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TOP_LEVEL = new Set(['roles', 'permissions', 'members', 'owners']);

/** Whether a subject is a well-formed GitHub login or `@org/team`. */
export function isValidRbacSubject(subject: string): boolean {
  return LOGIN.test(subject) || TEAM.test(subject);
}

/** The result of parsing `.kiro/rbac.yaml`: the usable policy and every problem on its exact line. */
export interface ParsedRbacPolicy {
  policy: RbacPolicy;
  diagnostics: Diagnostic[];
}

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  range(node: { range?: [number, number, number] | null | undefined } | null | undefined): Range {
    const [start, end] = node?.range ?? [0, 0];
    const a = this.lines.linePos(start);
    const b = this.lines.linePos(end);
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  }

  report(code: DiagnosticCode, node: Node | null | undefined, message: string, hint?: string): void {
    this.diagnostics.push({ code, severity: 'error', message, hint, file: this.file, range: this.range(node) });
  }

  warn(code: DiagnosticCode, node: Node | null | undefined, message: string, hint?: string): void {
    this.diagnostics.push({ code, severity: 'warning', message, hint, file: this.file, range: this.range(node) });
  }

  /** The string items of a sequence; anything else is reported. */
  strings(node: unknown, what: string): { value: string; node: Node }[] {
    if (!isSeq(node)) {
      this.report('rbac-invalid-field', node as Node, `${what} must be a list of strings`);
      return [];
    }
    const out: { value: string; node: Node }[] = [];
    for (const item of node.items) {
      if (isScalar(item) && typeof item.value === 'string') out.push({ value: item.value, node: item });
      else this.report('rbac-invalid-field', item as Node, `${what} must be a list of strings`);
    }
    return out;
  }

  /** The pairs of a mapping with string keys; anything else is reported. */
  pairs(node: unknown, what: string): { key: string; keyNode: Node; value: unknown; pair: Pair }[] {
    if (node === null || node === undefined) return [];
    if (!isMap(node)) {
      this.report('rbac-invalid-field', node as Node, `${what} must be a mapping`);
      return [];
    }
    return node.items.flatMap((pair) => {
      const key = pair.key;
      if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
        this.report('rbac-invalid-field', key as Node, `${what}: keys must be names`);
        return [];
      }
      return [{ key: String(key.value), keyNode: key as Node, value: pair.value, pair }];
    });
  }
}

/** The usable permissions of one role's list: shorthand expanded, unknown ones errors, meaningless ones warnings. */
function readPermissions(r: Reader, role: string, list: unknown): string[] {
  const permissions: string[] = [];
  for (const p of r.strings(list, `role "${role}" permissions`)) {
    for (const perm of expandPermissionShorthand(p.value)) {
      const why = meaninglessReason(perm);
      if (!isKnownPermissionPattern(perm))
        r.report(
          'rbac-unknown-permission',
          p.node,
          `unknown permission "${perm}" in role "${role}"`,
          'Use family:action such as schema:write, branch:lock, a wildcard like schema:*, or a list like branch:lock,unlock.',
        );
      else if (why)
        r.warn(
          'rbac-meaningless-permission',
          p.node,
          `"${perm}" in role "${role}" is not granted: ${why}`,
          'Remove it; see docs/rbac.md for what each permission governs.',
        );
      else permissions.push(perm);
    }
  }
  return permissions;
}

/** `roles: { name: { permissions: [...] } }` (the product's form). */
function readRoles(r: Reader, node: unknown, roles: Map<string, RbacRole>): void {
  for (const { key, keyNode, value } of r.pairs(node, 'roles')) {
    const body = r.pairs(value, `role "${key}"`);
    const perms = body.find((p) => p.key === 'permissions');
    for (const extra of body.filter((p) => p.key !== 'permissions' && p.key !== 'description')) {
      r.report(
        'rbac-invalid-field',
        extra.keyNode,
        `role "${key}": unknown field "${extra.key}"`,
        'Use "permissions".',
      );
    }
    if (!perms) {
      r.report('rbac-invalid-field', keyNode, `role "${key}" has no permissions list`);
      continue;
    }
    roles.set(key, { name: key, permissions: readPermissions(r, key, perms.value), range: r.range(keyNode) });
  }
}

/** `permissions: { name: [...] }` (seed 004's matrix as written): one list per role. */
function readMatrix(r: Reader, node: unknown, roles: Map<string, RbacRole>): void {
  for (const { key, keyNode, value } of r.pairs(node, 'permissions')) {
    if (roles.has(key)) {
      r.report(
        'rbac-invalid-field',
        keyNode,
        `role "${key}" is defined under both roles and permissions`,
        'Define each role once.',
      );
      continue;
    }
    roles.set(key, { name: key, permissions: readPermissions(r, key, value), range: r.range(keyNode) });
  }
}

function readMembers(r: Reader, node: unknown, roles: Map<string, RbacRole>): RbacMember[] {
  const members: RbacMember[] = [];
  for (const { key, keyNode, value } of r.pairs(node, 'members')) {
    if (!isValidRbacSubject(key)) {
      r.report(
        'rbac-invalid-member',
        keyNode,
        `"${key}" is neither a GitHub login nor @org/team`,
        'Write a user as octocat and a team as @org/team-slug.',
      );
      continue;
    }
    const granted: string[] = [];
    for (const role of r.strings(value, `member "${key}" roles`)) {
      if (roles.has(role.value)) granted.push(role.value);
      else
        r.report(
          'rbac-unknown-role',
          role.node,
          `unknown role "${role.value}" for "${key}"`,
          `Define it under roles, or use one of: ${[...roles.keys()].join(', ')}.`,
        );
    }
    members.push({ subject: key, roles: granted, range: r.range(keyNode) });
  }
  return members;
}

function readOwners(r: Reader, node: unknown): Map<string, RbacOwner> {
  const owners = new Map<string, RbacOwner>();
  for (const { key, keyNode, value } of r.pairs(node, 'owners')) {
    const writers: string[] = [];
    for (const w of r.strings(value, `owner "${key}"`)) {
      if (isValidRbacSubject(w.value)) writers.push(w.value);
      else r.report('rbac-invalid-member', w.node, `"${w.value}" is neither a GitHub login nor @org/team`);
    }
    if (writers.length === 0)
      r.report(
        'rbac-owner-unwritable',
        keyNode,
        `nobody may write the schemas of "${key}" (besides admins)`,
        'List at least one user or @org/team under this owner.',
      );
    owners.set(key, { service: key, writers, range: r.range(keyNode) });
  }
  return owners;
}

/**
 * Parses and validates `.kiro/rbac.yaml`. Pure: the caller reads the file (from the default branch). Roles are
 * written under `roles:` (`name: { permissions: [...] }`) or, as seed 004 writes its matrix, under a top-level
 * `permissions:` (`name: [...]`); `family:a,b` lists several actions of one family.
 * Unknown roles or permissions, malformed members and owners nobody can write are diagnostics on their lines;
 * the returned policy keeps only what is valid, so a mistake can only take rights away.
 */
export function parseRbacPolicy(file: string, text: string): ParsedRbacPolicy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const r = new Reader(file, lines);
  const empty: RbacPolicy = { file, roles: new Map(), members: [], owners: new Map() };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      const start = { line: pos.line - 1, character: pos.col - 1 };
      r.diagnostics.push({
        code: 'yaml-syntax',
        severity: 'error',
        message: e.message.split('\n')[0] ?? e.message,
        file,
        range: { start, end: start },
      });
    }
    return { policy: empty, diagnostics: r.diagnostics };
  }
  const top = r.pairs(doc.contents, 'rbac.yaml');
  for (const p of top.filter((t) => !TOP_LEVEL.has(t.key)))
    r.report(
      'rbac-invalid-field',
      p.keyNode,
      `unknown field "${p.key}"`,
      'Use roles (or permissions), members and owners.',
    );
  const get = (k: string): unknown => top.find((t) => t.key === k)?.value;
  const roles = new Map<string, RbacRole>();
  readRoles(r, get('roles'), roles);
  readMatrix(r, get('permissions'), roles);
  const policy: RbacPolicy = {
    file,
    roles,
    members: readMembers(r, get('members'), roles),
    owners: readOwners(r, get('owners')),
  };
  return { policy, diagnostics: r.diagnostics };
}
