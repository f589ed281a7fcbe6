import type { FreezeService } from '@aegis/freeze';
import { Registry } from 'prom-client';
import type { AutoMergeContext } from '../auto-merge/auto-merge-context.js';
import type { FakeGitHubPort } from './fake-github-port.js';

/**
 * The narrow context auto-merge runs in, over a real freeze facade and GitHub-as-fields for one repository:
 * no bot context, no gate. The mirror refuses (a test that needs the head's tree passes its own).
 */
export function autoMergeContext(
  freeze: FreezeService,
  gh: FakeGitHubPort,
  repo = 'acme/registry',
  mirror: AutoMergeContext['bot']['mirror'] = {
    sync: () => Promise.reject(new Error('no mirror in this test')),
  },
): AutoMergeContext {
  return {
    github: async (name) => (name === repo ? { gh, info: { fullName: repo, defaultBranch: 'main' } } : undefined),
    bot: {
      freeze,
      mirror,
      config: {},
      auditComments: new Map(),
      clock: Date.now,
      metrics: { registry: new Registry() },
    },
  };
}
