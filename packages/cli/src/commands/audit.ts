import path from 'node:path';
import { DataDirInUseError, issueKey, openStores, storeConfigFromEnv } from '@aegis/freeze';
import type { AuditQuery, AuditRecord, ChainReport } from '@aegis/freeze';
import { EXIT, UsageError, type Command } from '../command.js';
import { parseOptions, pickFormat, positiveInt, stringOption } from '../parse-options.js';
import { appApiFromEnv, queryAuditOverApi } from './audit-over-api.js';

function since(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const relative = /^(\d+)([mhd])$/.exec(text);
  if (relative) {
    const unit = { m: 60_000, h: 3600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(Date.now() - Number(relative[1]) * unit);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--since takes a date (2026-11-25, ISO-8601) or an age (30m, 12h, 7d), got "${text}"`);
  return date;
}

function line(r: AuditRecord): string {
  const what = r.resourceType ? ` ${r.resourceType}${r.resourceId ? `:${r.resourceId}` : ''}` : '';
  const issue = r.issue ? ` [${r.issue}]` : '';
  return `${r.at}  ${r.repo}@${r.branch}  ${r.action}${what}  by ${r.actor}${issue}${r.reason ? `: ${r.reason}` : ''}`;
}

/** Opens the audit log the app writes: PGlite in AEGIS_DATA_DIR (default .aegis) or PostgreSQL in DATABASE_URL. */
async function openAudit(io: Parameters<Command['run']>[1]) {
  // Audit lives in SQL only; Redis (state) is not needed to read it.
  const config = storeConfigFromEnv(io.env);
  return openStores({ databaseUrl: config.databaseUrl, dataDir: path.resolve(io.cwd, config.dataDir ?? '.aegis') });
}

/**
 * The records a query selects: from the store, or — while the running app holds the embedded data directory —
 * through its API when `AEGIS_API_URL` and `AEGIS_API_TOKEN` say where and how.
 */
async function queryRecords(query: AuditQuery, io: Parameters<Command['run']>[1]): Promise<AuditRecord[]> {
  let stores;
  try {
    stores = await openAudit(io);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    const api = appApiFromEnv(io.env);
    if (!api)
      throw new UsageError(
        `${error.message}. To read while it runs, set AEGIS_API_URL (the app's address) and AEGIS_API_TOKEN (a token with audit:read).`,
      );
    return queryAuditOverApi(api, query);
  }
  try {
    return (await stores.audit.query(query)).records;
  } finally {
    await stores.close();
  }
}

function verdict(report: ChainReport): string {
  const before = report.unchained ? ` (${report.unchained} older records predate the chain)` : '';
  if (report.ok) return `Audit log intact: ${report.checked} records chained${before}; head ${report.head}\n`;
  const b = report.broken;
  return `Audit log BROKEN at record #${b?.seq} (${b?.id}): ${b?.why}. ${report.checked} records before it verify; head ${report.head}\n`;
}

/** `aegis audit verify`: checks every record's hash and link; exit 1 when the chain is broken. */
async function verify(args: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  const { values } = parseOptions('audit', args, { format: { type: 'string' } });
  const format = pickFormat('audit', stringOption(values, 'format'), ['text', 'json'] as const);
  const stores = await openAudit(io).catch((error: unknown) => {
    if (error instanceof DataDirInUseError)
      throw new UsageError(
        `${error.message}. verify reads the table itself: stop the app first (or run it on DATABASE_URL).`,
      );
    throw error;
  });
  try {
    const report = await stores.audit.verify();
    io.stdout(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : verdict(report));
    return report.ok ? EXIT.clean : EXIT.findings;
  } finally {
    await stores.close();
  }
}

/** `aegis audit`: query the audit log the bot writes (same store: AEGIS_DATA_DIR, DATABASE_URL). */
export const auditCommand: Command = {
  name: 'audit',
  usage: `aegis audit [--repo OWNER/NAME] [--branch B] [--issue N] [--action A] [--actor USER] [--since T]
            [--limit N] [--format text|json]
       aegis audit verify [--format text|json]

  Reads the audit records the GitHub App wrote, newest first, from the same store it uses: PGlite in
  AEGIS_DATA_DIR (default .aegis) or PostgreSQL in DATABASE_URL. --issue takes 12, #12 or a key (OMS-123);
  --since a date or an age (30m, 12h, 7d). While the app runs on the embedded directory (one process at a
  time), set AEGIS_API_URL and AEGIS_API_TOKEN (audit:read) to read through its API instead.

  verify checks that no record was changed, removed or reordered: each record's hash covers its content and
  the hash of the record before it. Exit 0 when intact, 1 naming the first broken record. Keep the printed
  head hash elsewhere to notice a truncated tail later.`,
  async run(args, io) {
    if (args[0] === 'verify') return verify(args.slice(1), io);
    const opts = {
      repo: { type: 'string' },
      branch: { type: 'string' },
      issue: { type: 'string' },
      action: { type: 'string' },
      actor: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
    } as const;
    const { values } = parseOptions('audit', args, opts);
    const format = pickFormat('audit', stringOption(values, 'format'), ['text', 'json'] as const);
    const issue = stringOption(values, 'issue');
    const query: AuditQuery = {
      repo: stringOption(values, 'repo'),
      branch: stringOption(values, 'branch'),
      issue: issue === undefined ? undefined : issueKey(issue),
      action: stringOption(values, 'action'),
      actor: stringOption(values, 'actor'),
      since: since(stringOption(values, 'since')),
      limit: positiveInt('audit', 'limit', stringOption(values, 'limit'), 100),
    };
    const records = await queryRecords(query, io);
    if (format === 'json') io.stdout(JSON.stringify(records, null, 2) + '\n');
    else io.stdout(records.length ? records.map(line).join('\n') + '\n' : 'No audit records match.\n');
    return EXIT.clean;
  },
};
