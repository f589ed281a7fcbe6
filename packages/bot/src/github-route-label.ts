/**
 * GitHub REST paths as route templates, so a metric label names the kind of request and never a user, team,
 * repository, branch, file or commit: `/repos/acme/registry/collaborators/alice/permission` →
 * `/repos/{owner}/{repo}/collaborators/{username}/permission`. Order matters: the first match wins.
 */
const TEMPLATES: [RegExp, string][] = [
  [/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}'],
  [/\/collaborators\/[^/]+/, '/collaborators/{username}'],
  [/\/commits\/[^/]+/, '/commits/{ref}'],
  [/\/git\/(refs|ref|matching-refs)\/.*$/, '/git/$1/{ref}'],
  [/\/git\/(trees|blobs|commits)\/[^/]+/, '/git/$1/{sha}'],
  [/\/contents\/.*$/, '/contents/{path}'],
  [/\/compare\/.*$/, '/compare/{basehead}'],
  [/\/branches\/[^/]+/, '/branches/{branch}'],
  [/^\/orgs\/[^/]+/, '/orgs/{org}'],
  [/\/teams\/[^/]+/, '/teams/{team_slug}'],
  [/\/memberships\/[^/]+/, '/memberships/{username}'],
  [/^\/users\/[^/]+/, '/users/{username}'],
  [/\/\d+(?=\/|$)/g, '/{n}'],
];

/** Every path segment a template may leave as it is: GitHub's own words. */
const WORD = /^(?:\{[a-z_]+\}|[a-z][a-z0-9_-]*)$/;

/** How many distinct routes are labelled before the rest share `other`: a hard bound on the series. */
export const MAX_ROUTES = 100;

/** Turns request paths into bounded route labels; remembers the labels it gave out. */
export class GitHubRouteLabels {
  private readonly seen = new Set<string>();

  label(pathname: string): string {
    let route = pathname.replace(/\/api\/v3(?=\/)/, '').replace(/:n(?=\/|$)/g, '0');
    for (const [pattern, template] of TEMPLATES) route = route.replace(pattern, template);
    // A segment that is not a word of GitHub's (an unforeseen id or name) makes the path unlabelled.
    if (
      !route
        .split('/')
        .slice(1)
        .every((s) => WORD.test(s))
    )
      return 'other';
    if (this.seen.has(route)) return route;
    if (this.seen.size >= MAX_ROUTES) return 'other';
    this.seen.add(route);
    return route;
  }
}
