/** A parsed semantic version (`1.2.3`, `2.0.0-rc.1`). */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

/** Parses `major.minor.patch[-pre][+build]`; anything else is undefined. */
export function parseSemver(text: string | undefined): SemVer | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec((text ?? '').trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] ?? '' };
}

/** Orders two versions: negative when a < b. A pre-release sorts before its release. */
export function compareSemver(a: SemVer, b: SemVer): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    (a.prerelease === b.prerelease
      ? 0
      : a.prerelease === ''
        ? 1
        : b.prerelease === ''
          ? -1
          : a.prerelease < b.prerelease
            ? -1
            : 1)
  );
}

/**
 * Whether `to` is a major bump over `from`, as a breaking change needs. Below 1.0.0, where semver promises
 * nothing, a minor bump counts as major (the usual `0.y` convention).
 */
export function isMajorBump(from: SemVer, to: SemVer): boolean {
  if (from.major === 0 && to.major === 0) return to.minor > from.minor;
  return to.major > from.major;
}

/** The next version for a change: major for breaking, patch otherwise. */
export function nextVersion(from: SemVer, breaking: boolean): string {
  if (!breaking) return `${from.major}.${from.minor}.${from.patch + 1}`;
  return from.major === 0 ? `0.${from.minor + 1}.0` : `${from.major + 1}.0.0`;
}
