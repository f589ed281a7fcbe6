import { describe, expect, it } from 'vitest';
import { GitHubRouteLabels, MAX_ROUTES } from './github-route-label.js';

describe('GitHubRouteLabels', () => {
  it('names the route, never the user, team, repository, ref or file', () => {
    const labels = new GitHubRouteLabels();
    const cases: [string, string][] = [
      [
        '/repos/acme/registry/collaborators/alice/permission',
        '/repos/{owner}/{repo}/collaborators/{username}/permission',
      ],
      ['/orgs/acme/teams/platform/memberships/mallory', '/orgs/{org}/teams/{team_slug}/memberships/{username}'],
      ['/repos/x/y/pulls/:n/files', '/repos/{owner}/{repo}/pulls/{n}/files'],
      ['/repos/x/y/issues/12/comments', '/repos/{owner}/{repo}/issues/{n}/comments'],
      ['/api/v3/repos/x/y/commits/abc123/check-runs', '/repos/{owner}/{repo}/commits/{ref}/check-runs'],
      ['/repos/x/y/contents/.kiro/schemas/users.yaml', '/repos/{owner}/{repo}/contents/{path}'],
      ['/repos/x/y/git/refs/heads/feature/x', '/repos/{owner}/{repo}/git/refs/{ref}'],
      ['/app/installations/:n/access_tokens', '/app/installations/{n}/access_tokens'],
      ['/users/Alice.Smith', '/users/{username}'],
      ['/weird/Alice.Smith', 'other'],
    ];
    for (const [path, label] of cases) expect(labels.label(path), path).toBe(label);
  });

  it('gives out at most MAX_ROUTES labels; the rest share other', () => {
    const labels = new GitHubRouteLabels();
    const given = new Set(Array.from({ length: 500 }, (_, i) => labels.label(`/repos/x/y/${'w'.repeat(i + 1)}`)));
    expect(given.size).toBe(MAX_ROUTES + 1);
    expect(given.has('other')).toBe(true);
  });
});
