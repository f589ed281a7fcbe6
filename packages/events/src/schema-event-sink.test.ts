import { describe, expect, it } from 'vitest';
import { eventBranchesFromEnv, publishesBranch } from './schema-event-sink.js';

describe('publishesBranch', () => {
  it('publishes the default branch and branches matching a pattern, nothing else', () => {
    const patterns = eventBranchesFromEnv({ AEGIS_EVENTS_BRANCHES: 'release/*, prod' });
    expect(patterns).toEqual(['release/*', 'prod']);
    expect(publishesBranch('main', 'main', [])).toBe(true);
    expect(publishesBranch('release/1.2', 'main', patterns)).toBe(true);
    expect(publishesBranch('prod', 'main', patterns)).toBe(true);
    expect(publishesBranch('production', 'main', patterns)).toBe(false);
    expect(publishesBranch('feature/x', 'main', patterns)).toBe(false);
    expect(publishesBranch('release.1', 'main', ['release.*'])).toBe(true);
    expect(publishesBranch('releaseX1', 'main', ['release.1'])).toBe(false);
  });
});
