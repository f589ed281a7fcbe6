import type { Diagnostic } from './diagnostic.js';
import { diffDiagnostics } from './diff/diff-diagnostics.js';
import { diffRegistries } from './diff/diff-registries.js';
import type { RegistryDiff } from './diff/registry-diff.js';
import { sortDiagnostics } from './make-diagnostic.js';
import type { Registry } from './model.js';
import { parseRbacPolicy } from './rbac/parse-rbac-policy.js';
import { RBAC_POLICY_PATH } from './rbac/rbac-policy.js';
import { validateRegistry } from './validate/validate-registry.js';

/** A change as its readers found it: both registries and, when the change edits it, the policy it leaves. */
export interface ChangeInput {
  /** The registry at the merge base (what a pull request is compared with). */
  base: Registry;
  /** The registry the change leaves (a PR head, a ref, a working tree). */
  head: Registry;
  /**
   * Present only when the change edits `.kiro/rbac.yaml`: its text at the head (undefined when the change
   * deletes it). A broken policy must not merge, so its problems count as the change's.
   */
  editedPolicy?: { text: string | undefined };
}

/** What `aegis check` prints and `aegis/validate` reports: one answer for both. */
export interface ChangeCheck {
  diff: RegistryDiff;
  /**
   * Every head file's diagnostics, empty lists included (whole-set), plus an edited policy's: validation of
   * the head, the change's own (`breaking-change`, `invalid-rename`, `version-not-bumped`) and the policy's
   * problems, each file's list in position order.
   */
  results: Map<string, Diagnostic[]>;
  /** Whether the head registry itself validates without an error (its SQL can then be proven). */
  headValid: boolean;
  errors: number;
  warnings: number;
}

function mergeInto(out: Map<string, Diagnostic[]>, map: Map<string, Diagnostic[]>): void {
  for (const [file, list] of map) out.set(file, [...(out.get(file) ?? []), ...list]);
}

const hasError = (map: Map<string, Diagnostic[]>): boolean =>
  [...map.values()].some((list) => list.some((d) => d.severity === 'error'));

/**
 * Checks a change: validates the head, diffs it against the base and classifies the diff, and validates an
 * edited RBAC policy. Pure: the CLI reads the sides from git or disk, the app from its mirror, and both
 * report exactly this (after changesets' get-release-plan: reading joined to one pure planner).
 */
export function checkChange(input: ChangeInput): ChangeCheck {
  const { base, head, editedPolicy } = input;
  const diff = diffRegistries(base, head);
  const validation = validateRegistry(head);
  const results = new Map<string, Diagnostic[]>();
  mergeInto(results, validation);
  mergeInto(results, diffDiagnostics(base, head, diff));
  if (editedPolicy?.text !== undefined)
    results.set(RBAC_POLICY_PATH, parseRbacPolicy(RBAC_POLICY_PATH, editedPolicy.text).diagnostics);
  for (const list of results.values()) sortDiagnostics(list);
  const all = [...results.values()].flat();
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  return { diff, results, headValid: !hasError(validation), errors, warnings };
}
