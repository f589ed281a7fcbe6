/** Where the repository's registry and policy live, from the webhook payload. */
export interface RepoInfo {
  fullName: string;
  defaultBranch: string;
  cloneUrl?: string;
  /** The repository's web page (`https://github.com/owner/name`, or the Enterprise host's). */
  htmlUrl?: string;
}
