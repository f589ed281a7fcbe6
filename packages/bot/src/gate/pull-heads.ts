/** How many pull requests the newest heads are kept for (the oldest noted are forgotten first). */
const KEPT = 10_000;

/**
 * The newest head each pull request's deliveries named on this replica, in the order they arrived. A delivery
 * notes its head when it arrives, so a different head noted since is a later push's (GitHub's pull request
 * confirms it before anything is skipped: deliveries may arrive out of order).
 */
export class PullHeads {
  private readonly newest = new Map<string, string>();

  /** A delivery for `headSha` of pull request `number` arrived. */
  note(repo: string, number: number, headSha: string): void {
    const key = `${repo}#${number}`;
    this.newest.delete(key);
    this.newest.set(key, headSha);
    if (this.newest.size > KEPT) this.newest.delete(this.newest.keys().next().value ?? '');
  }

  /** The head a later delivery of the pull request named, when it differs from `headSha`. */
  newer(repo: string, number: number, headSha: string): string | undefined {
    const head = this.newest.get(`${repo}#${number}`);
    return head !== undefined && head !== headSha ? head : undefined;
  }
}
