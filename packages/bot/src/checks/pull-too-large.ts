import type { CheckName, CheckResult } from './check-result.js';

/**
 * The most schema files one pull request may change (added, modified, removed or renamed). Beyond it Aegis does not
 * parse the pull request at all: every check fails with `pullTooLargeCheck`, so a giant fork PR costs one
 * `git diff` and cannot take the app's CPU from everyone else. Documented in docs/security.md.
 */
export const MAX_CHANGED_FILES = 1_000;

/** Thrown before any parsing when a pull request changes more than `MAX_CHANGED_FILES` schema files. */
export class PullTooLargeError extends Error {
  readonly code = 'pull-too-large';

  constructor(readonly changedFiles: number) {
    super(`the pull request changes ${changedFiles} schema files; Aegis judges at most ${MAX_CHANGED_FILES}`);
    this.name = 'PullTooLargeError';
  }
}

/** The failing result every check shows for a pull request over the size limit. */
export function pullTooLargeCheck(name: CheckName, error: PullTooLargeError): CheckResult {
  return {
    name,
    conclusion: 'failure',
    title: `Too many schema files: ${error.changedFiles} (at most ${MAX_CHANGED_FILES})`,
    summary: [
      `This pull request changes **${error.changedFiles}** schema files. Aegis judges at most`,
      `**${MAX_CHANGED_FILES}** in one pull request and did not read this one.`,
      '',
      'Split the change into pull requests of at most that many files each; every part is then checked as usual.',
    ].join('\n'),
    annotations: [],
  };
}
