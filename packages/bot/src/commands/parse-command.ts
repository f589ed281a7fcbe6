import { RESOURCE_TYPES } from '@aegis/core';
import type { LockTarget } from '@aegis/freeze';
import { quietCode } from '../checks/quiet-text.js';
import { parseIndexCommand } from '../auto-merge/index-commands.js';
import type { IndexCommand } from '../auto-merge/index-commands.js';

/** A comment command, parsed. `unknown` carries what was typed so help can say so. */
export type Command =
  | { kind: 'status' }
  | { kind: 'help' }
  | { kind: 'lock'; target: LockTarget; ttlMs?: number; reason?: string }
  | { kind: 'unlock'; lockId?: string }
  | { kind: 'force-unlock'; reason: string }
  | { kind: 'unknown'; text: string; problem: string }
  | IndexCommand;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** `30m`, `2h`, `90s`, `1d` → milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  return m ? Number(m[1]) * (UNITS[m[2] ?? 'm'] ?? 60_000) : undefined;
}

/** Words that lock every resource of a type: core's resource types (`index`, `column`, …) and seed 000's `object_type`. */
const RESOURCE_TYPE_WORDS: ReadonlySet<string> = new Set([...Object.values(RESOURCE_TYPES), 'object_type']);

/** `branch` | `<type>` (all of a type: `schema`, `index`, …) | `<type>:<id>` | `<schema name>` → a lock target. */
export function parseScope(scope: string | undefined): LockTarget {
  if (!scope || scope === 'branch') return { scope: 'BRANCH' };
  const at = scope.indexOf(':');
  if (at > 0) return { scope: 'RESOURCE', resourceType: scope.slice(0, at), resourceId: scope.slice(at + 1) };
  if (RESOURCE_TYPE_WORDS.has(scope)) return { scope: 'RESOURCE_TYPE', resourceType: scope };
  return { scope: 'RESOURCE', resourceType: 'schema', resourceId: scope };
}

function unknown(text: string, problem: string): Command {
  return { kind: 'unknown', text, problem };
}

/** The options `/lock` takes: a reason runs until the next of them, so `--reason "x" --ttl 5m` keeps its TTL. */
const LOCK_OPTIONS = new Set(['--ttl', '--reason']);

function parseLock(text: string, args: string): Command {
  const tokens = args.match(/"[^"]*"|\S+/g) ?? [];
  let scope: string | undefined;
  let ttlMs: number | undefined;
  const reason: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (t === '--ttl') {
      ttlMs = parseDuration(tokens[++i] ?? '');
      if (ttlMs === undefined) return unknown(text, '`--ttl` takes a duration such as 30m, 2h or 1d');
    } else if (t === '--reason') {
      while (i + 1 < tokens.length && !LOCK_OPTIONS.has(tokens[i + 1] ?? '')) reason.push(unquote(tokens[++i] ?? ''));
    } else if (scope === undefined && !t.startsWith('--')) scope = t;
    else return unknown(text, `unexpected ${quietCode(t)}`);
  }
  return {
    kind: 'lock',
    target: parseScope(scope),
    ...(ttlMs ? { ttlMs } : {}),
    ...(reason.length ? { reason: reason.join(' ') } : {}),
  };
}

const unquote = (token: string): string => token.replace(/^"|"$/g, '');

/**
 * The command in a comment: its first non-empty line, when that line starts with `/`. Text after it, and
 * anything in a code fence or a quote (which cannot start with `/`), is never read as a command. Returns
 * undefined for comments that hold no command (ordinary discussion), so the bot stays quiet on them; an
 * unknown `/word` is answered only when it stands alone (one line, mentioning nobody) — `/cc @team …` is talk.
 */
export function parseCommand(body: string): Command | undefined {
  const line = commandLine(body);
  if (!line) return undefined;
  const command = parseLine(line);
  if (command?.kind !== 'unknown' || KNOWN.has(line.slice(1).split(/\s/)[0] ?? '')) return command;
  const alone = body.trim() === line && !/(^|\s)@[\w-]/.test(line);
  return alone ? command : undefined;
}

const KNOWN = new Set(['status', 'help', 'lock', 'unlock', 'force-unlock', 'auto-merge', 'shadow']);

/** The comment's first non-empty line, trimmed, when it starts with `/`. */
export function commandLine(body: string): string | undefined {
  const first = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '');
  return first?.startsWith('/') ? first : undefined;
}

function parseLine(line: string): Command | undefined {
  const m = /^\/([\w-]+)\s*(.*)$/.exec(line);
  if (!m) return undefined;
  const [, name = '', args = ''] = m;
  switch (name) {
    case 'status':
      return { kind: 'status' };
    case 'help':
      return { kind: 'help' };
    case 'lock':
      return parseLock(line, args);
    case 'unlock':
      return args.trim() ? { kind: 'unlock', lockId: args.trim().split(/\s+/)[0] } : { kind: 'unlock' };
    case 'force-unlock':
      return args.trim()
        ? { kind: 'force-unlock', reason: args.trim() }
        : unknown(line, '`/force-unlock` needs a reason');
    case 'auto-merge':
    case 'shadow': {
      const parsed = parseIndexCommand(name, args);
      return typeof parsed === 'object' ? parsed : unknown(line, parsed ?? `unknown command ${quietCode(`/${name}`)}`);
    }
    default:
      return unknown(line, `unknown command ${quietCode(`/${name}`)}`);
  }
}

/** The `/help` text. */
export const HELP = [
  '**Aegis commands**',
  '',
  '| command | what it does | who |',
  '| --- | --- | --- |',
  "| `/status` | branch state and live locks of this PR's base branch | anyone |",
  '| `/lock [branch\\|schema\\|schema:<name>\\|<name>] [--ttl 30m] [--reason …]` | lock the base branch, all schemas, or one schema; released when this PR is merged or closed | `branch:lock` |',
  "| `/unlock [lock-id]` | release this PR's locks, or one lock you hold | `branch:unlock` |",
  '| `/force-unlock <reason>` | emergency: release every lock on the base branch, state → ACTIVE | `branch:force-unlock` (admin) |',
  '| `/auto-merge [off]` | merge by itself once checks pass, GitHub says mergeable and a shadow index built from the head is BUILT | `schema:write` |',
  '| `/shadow status\\|switch\\|rollback [id\\|index]` | shadow index builds of the base branch; switch one in, or swap back | `index:switch` / `index:rollback` |',
  '| `/help` | this table | anyone |',
].join('\n');
