import type { CheckName, CheckResult } from './check-result.js';

/**
 * What `aegis/validate`, `aegis/rbac` and `aegis/freeze` say on a pull request that changes nothing under
 * `.kiro/` in a repository that has a registry: success, decided from GitHub's file list without fetching the
 * repository (required checks in branch protection need a conclusion, and nothing here can fail: the registry
 * at the head is the one at the merge base, no schema is written, no lock can cover the change).
 */
export function unchangedRegistryCheck(name: Exclude<CheckName, 'aegis/audit'>): CheckResult {
  return {
    name,
    conclusion: 'success',
    title: 'No registry change',
    summary:
      'This pull request changes no file under `.kiro/`, so the registry it would merge is the one already on its ' +
      'base: nothing to validate, authorise or freeze. Aegis read the list of changed files from GitHub and did ' +
      'not fetch the repository.',
    annotations: [],
  };
}
