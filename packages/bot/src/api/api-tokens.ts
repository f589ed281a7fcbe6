import { createHash, timingSafeEqual } from 'node:crypto';

/** One API token as configured: who it is, its roles, and the SHA-256 of the secret (never the secret). */
export interface ApiTokenEntry {
  name: string;
  roles: string[];
  sha256: string;
  /** The repositories (`owner/name`) it may act on; absent: every repository the app serves. */
  repositories?: string[];
}

/** The identity a bearer token maps to. */
export interface ApiIdentity {
  name: string;
  roles: string[];
  /** The repositories it is scoped to (absent: unscoped). */
  repositories?: string[];
}

/** One configured list of tokens: its JSON text and where it came from. */
export interface TokenSource {
  json: string;
  where: string;
}

const REPO_NAME = /^[\w.-]+\/[\w.-]+$/;

function repositoriesOf(raw: unknown, where: string): { repositories?: string[] } {
  if (raw === undefined) return {};
  if (!Array.isArray(raw) || !raw.every((r) => typeof r === 'string' && REPO_NAME.test(r)))
    throw new Error(`${where}: repositories must be a list of owner/name`);
  return { repositories: raw as string[] };
}

/** SHA-256 hex of a token: what the configuration stores (`printf %s "$TOKEN" | sha256sum`). */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function parseEntries(raw: unknown, where: string): ApiTokenEntry[] {
  const list = Array.isArray(raw) ? raw : (raw as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(list))
    throw new Error(`${where}: expected a list of tokens ({ name, roles, sha256, repositories? })`);
  return list.map((e: unknown, i) => {
    const t = e as Partial<ApiTokenEntry> | null;
    const ok =
      t &&
      typeof t.name === 'string' &&
      Array.isArray(t.roles) &&
      typeof t.sha256 === 'string' &&
      /^[0-9a-f]{64}$/i.test(t.sha256);
    if (!ok) throw new Error(`${where}: token ${i + 1} needs name, roles and a 64-hex sha256`);
    return {
      name: t.name as string,
      roles: (t.roles as unknown[]).map(String),
      sha256: (t.sha256 as string).toLowerCase(),
      ...repositoriesOf(t.repositories, `${where}: token ${i + 1}`),
    };
  });
}

/**
 * Bearer tokens of the HTTP API, held as SHA-256 digests only, configured as JSON lists of
 * `{ name, roles, sha256, repositories? }` (docs/indexing-api.md). The roles are names: what they permit comes from the repository's `.kiro/rbac.yaml` (`apiPrincipal`).
 */
export class ApiTokens {
  private readonly byHash: Map<string, ApiTokenEntry>;

  constructor(entries: ApiTokenEntry[]) {
    this.byHash = new Map(entries.map((e) => [e.sha256, e]));
  }

  /**
   * Tokens from configured JSON lists (none → every API call answers 401). `where` names each list's origin
   * (a variable or a file) in errors; `readBotOptions` reads them.
   */
  static fromJson(sources: readonly TokenSource[]): ApiTokens {
    return new ApiTokens(sources.flatMap((s) => parseEntries(JSON.parse(s.json) as unknown, s.where)));
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The identity of an `Authorization: Bearer …` header, or undefined. */
  identify(header: string | undefined): ApiIdentity | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m?.[1]) return undefined;
    const digest = hashApiToken(m[1]);
    const entry = this.byHash.get(digest);
    // The map lookup is by digest, so timing reveals nothing of the token; compare anyway to be explicit.
    if (!entry || !timingSafeEqual(Buffer.from(entry.sha256, 'hex'), Buffer.from(digest, 'hex'))) return undefined;
    return {
      name: entry.name,
      roles: entry.roles,
      ...(entry.repositories ? { repositories: entry.repositories } : {}),
    };
  }
}
