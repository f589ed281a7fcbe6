/**
 * Why reading a registry from git failed. Every error carries a message a person can act on (what was asked,
 * what is wrong, what to do); the CLI prints it as one line and exits 2.
 */
export type GitRegistryErrorKind =
  'not-a-repository' | 'bad-ref' | 'no-schemas' | 'missing-object' | 'unknown-version' | 'git-failed';

/** The base of every error `@aegis/git` throws on purpose. */
export class GitRegistryError extends Error {
  override name = 'GitRegistryError';
  constructor(
    readonly kind: GitRegistryErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The folder is not inside a git working tree (or does not exist). */
export class NotARepositoryError extends GitRegistryError {
  override name = 'NotARepositoryError';
  constructor(
    readonly repoDir: string,
    detail = 'not a git repository',
  ) {
    super('not-a-repository', `${repoDir}: ${detail}. Run aegis inside a git repository that holds .kiro/schemas.`);
  }
}

/** The ref or SHA names no commit of the repository. */
export class BadRefError extends GitRegistryError {
  override name = 'BadRefError';
  constructor(readonly ref: string) {
    super(
      'bad-ref',
      `${ref}: no such branch, tag or commit in this repository. Check the name (git branch -a, git log) or fetch it first.`,
    );
  }
}

/** The commit exists but has no registry folder. */
export class NoSchemasError extends GitRegistryError {
  override name = 'NoSchemasError';
  constructor(
    readonly ref: string,
    readonly schemaDir: string,
  ) {
    super(
      'no-schemas',
      `${ref}: no ${schemaDir} folder at this commit. Check the ref, or add the schema files under ${schemaDir}/.`,
    );
  }
}

/** An object the registry needs is not in the local repository: a shallow or partial clone. */
export class MissingObjectError extends GitRegistryError {
  override name = 'MissingObjectError';
  constructor(
    readonly what: string,
    shallow: boolean,
  ) {
    super(
      'missing-object',
      `${what}: not in the local repository` +
        (shallow
          ? ' (this is a shallow clone). Fetch more history: git fetch --unshallow, or actions/checkout with fetch-depth: 0.'
          : '. Fetch it first (git fetch origin), or clone without --filter.'),
    );
  }
}

/** `registryDelta` was given a version hash this repository does not know as a tree. */
export class UnknownVersionError extends GitRegistryError {
  override name = 'UnknownVersionError';
  constructor(readonly versionHash: string) {
    super(
      'unknown-version',
      `${versionHash}: not a registry version of this repository. Ask for the whole registry instead.`,
    );
  }
}
