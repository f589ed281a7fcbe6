import type { CloudEvent } from './cloud-event.js';
import type { PushInput, SchemaChangedData } from './schema-changed.js';

/**
 * What the bot's push handler publishes to: filled in by `aegis bot` once the bus runs (with `NATS_URL`),
 * empty otherwise. `branches` are the protected-branch patterns whose pushes are published.
 */
export interface SchemaEventSink {
  bus?: { publishSchemaChanged(push: PushInput): Promise<CloudEvent<SchemaChangedData> | undefined> };
  branches: string[];
}

/** Patterns from `AEGIS_EVENTS_BRANCHES` (comma-separated, `*` as wildcard; default: the default branch only). */
export function eventBranchesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['AEGIS_EVENTS_BRANCHES'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Whether a push to `branch` is published: the repository's default branch always (merges land there), and
 * any branch matching a pattern (`release/*`). GitHub's push payload does not say whether a branch is
 * protected, so the patterns name the protected branches.
 */
export function publishesBranch(branch: string, defaultBranch: string, patterns: readonly string[]): boolean {
  if (branch === defaultBranch) return true;
  return patterns.some((p) =>
    new RegExp(
      `^${p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(branch),
  );
}
