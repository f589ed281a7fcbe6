import { diffDiagnostics, diffRegistries, validateRegistry, type Diagnostic, type RegistryDiff } from '@aegis/core';
import { DEFAULT_SCHEMA_DIR, mergeBase, repositoryRoot } from '@aegis/git';
import { summarize, type DiagnosticSummary } from './format-diagnostics.js';
import { baseSide, refSide, workingTreeSide, type Side } from './commands/git-sides.js';

/** A change checked as the pull-request check sees it: validation of the head plus the diff against the base. */
export interface CheckedChange {
  root: string;
  /** The merge base of BASE and the head: what the head is compared with. */
  fork: string;
  base: Side;
  head: Side;
  diff: RegistryDiff;
  /** Every file's diagnostics (empty lists included), validation and diff merged in line order. */
  results: Map<string, Diagnostic[]>;
  summary: DiagnosticSummary;
}

/** Merges per-file diagnostic maps, keeping every file (whole-set results). */
function merge(...maps: Map<string, Diagnostic[]>[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const map of maps) for (const [file, list] of map) out.set(file, [...(out.get(file) ?? []), ...list]);
  for (const list of out.values())
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

/**
 * Checks the registry of the working tree (or of `headRef`) in the repository around `cwd` against `baseRef`,
 * compared at their merge base as a pull request is. Shared by `aegis check` and the GitHub Action.
 */
export async function checkChange(
  cwd: string,
  baseRef: string,
  options: { headRef?: string; schemaDir?: string } = {},
): Promise<CheckedChange> {
  const schemaDir = options.schemaDir ?? DEFAULT_SCHEMA_DIR;
  const root = await repositoryRoot(cwd);
  const head = options.headRef
    ? await refSide(root, options.headRef, schemaDir)
    : await workingTreeSide(root, schemaDir);
  const fork = (await mergeBase(root, baseRef, options.headRef ?? 'HEAD')) ?? baseRef;
  const base = await baseSide(root, fork, schemaDir);
  const diff = diffRegistries(base.registry, head.registry);
  const results = merge(validateRegistry(head.registry), diffDiagnostics(base.registry, head.registry, diff));
  return { root, fork, base, head, diff, results, summary: summarize(results, head.registry.schemas.size) };
}
