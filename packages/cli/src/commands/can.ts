import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { can, defaultRbacPolicy, parseRbacPolicy, RBAC_POLICY_PATH } from '@aegis/core';
import type { RbacPolicy, RbacResource, RepoPermission } from '@aegis/core';
import { EXIT, UsageError, type CliIo, type Command } from '../command.js';
import { parseOptions, pickFormat, stringOption } from '../parse-options.js';
import { loadRegistryFromDisk } from '../registry-input.js';

const REPO_PERMISSIONS = ['admin', 'maintain', 'write', 'triage', 'read', 'none'] as const;

async function readPolicy(file: string, io: CliIo): Promise<RbacPolicy> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) {
    io.stderr(`note: ${file} not found; deciding by the GitHub-permission fallback alone\n`);
    return defaultRbacPolicy(file);
  }
  const { policy, diagnostics } = parseRbacPolicy(file, text);
  for (const d of diagnostics)
    io.stderr(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.code}: ${d.message} (ignored)\n`);
  return policy;
}

async function resourceOf(
  arg: string | undefined,
  owner: string | undefined,
  dir: string | undefined,
  cwd: string,
): Promise<RbacResource | undefined> {
  if (arg === undefined) return owner ? { type: 'schema', owner } : undefined;
  const [type, name] = arg.includes(':')
    ? [arg.slice(0, arg.indexOf(':')), arg.slice(arg.indexOf(':') + 1)]
    : ['schema', arg];
  if (type !== 'schema') return { type: type as RbacResource['type'], name };
  if (owner) return { type: 'schema', name, owner };
  const registry = await loadRegistryFromDisk(dir, cwd);
  const schema = registry.schemas.get(name);
  if (!schema) throw new UsageError(`no schema "${name}" in the registry: pass --owner SERVICE to ask anyway`);
  return { type: 'schema', name, owner: schema.owner?.value };
}

/** `aegis can`: the RBAC decision the bot would make, asked from the command line. */
export const canCommand: Command = {
  name: 'can',
  usage: `aegis can <user> <permission> [resource] [--team ORG/TEAM]... [--github-permission admin|write|read|none]
          [--owner SERVICE] [--policy FILE] [--dir DIR] [--format text|json]

  Decides with .kiro/rbac.yaml (or --policy) exactly as the GitHub App does: roles from members (the user or
  one of their --team), else from their GitHub repository permission; writing a schema also needs its owner.
  <resource> is a schema name or schema:<name> (its owner is read from the registry), or branch:<name>.
  Exit 0 allowed, 1 denied, 2 usage error.`,
  async run(args, io) {
    const opts = {
      team: { type: 'string', multiple: true },
      'github-permission': { type: 'string' },
      owner: { type: 'string' },
      policy: { type: 'string' },
      dir: { type: 'string' },
      format: { type: 'string' },
    } as const;
    const { values, positionals } = parseOptions('can', args, opts);
    const format = pickFormat('can', stringOption(values, 'format'), ['text', 'json'] as const);
    const [login, permission, resourceArg] = positionals;
    if (!login || !permission) throw new UsageError('usage: aegis can <user> <permission> [resource]');
    const repoPermission = stringOption(values, 'github-permission') ?? 'none';
    if (!(REPO_PERMISSIONS as readonly string[]).includes(repoPermission)) {
      throw new UsageError(`--github-permission must be one of ${REPO_PERMISSIONS.join(', ')}`);
    }
    const teams = ((values['team'] as string[] | undefined) ?? []).map((t) => t.replace(/^@/, ''));
    const policy = await readPolicy(path.resolve(io.cwd, stringOption(values, 'policy') ?? RBAC_POLICY_PATH), io);
    const resource = await resourceOf(resourceArg, stringOption(values, 'owner'), stringOption(values, 'dir'), io.cwd);
    const decision = can(
      policy,
      { login, teams, repoPermission: repoPermission as RepoPermission },
      permission,
      resource,
    );
    if (format === 'json')
      io.stdout(JSON.stringify({ user: login, permission, resource: resource ?? null, ...decision }, null, 2) + '\n');
    else io.stdout(`${decision.allowed ? 'allowed' : 'denied'}: ${decision.reason}\n`);
    return decision.allowed ? EXIT.clean : EXIT.findings;
  },
};
