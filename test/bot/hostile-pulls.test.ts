import { describe, expect, it } from 'vitest';
import { MAX_CHANGED_FILES } from '../../packages/bot/src/checks/pull-too-large.js';
import { useHarness } from './use-harness.js';

/** A valid schema file named `name`, owned by nobody the policy knows. */
const table = (name: string): string =>
  `name: ${name}\nowner: outsider-service\nversion: 1.0.0\ncolumns:\n  - { name: id, type: UUID, primary_key: true }\n`;

describe('a pull request over the documented size (signed delivery, fake GitHub, real git)', () => {
  const harness = useHarness();

  it('is refused on every check with the count and the limit, without parsing a single file', async () => {
    const h = harness();
    const count = MAX_CHANGED_FILES + 1;
    const files = Object.fromEntries(
      Array.from({ length: count }, (_, i) => [`.kiro/schemas/t${i}.yaml`, table(`t${i}`)]),
    );
    const parsed = h.bot.bot.cache.parsed;
    const pull = await h.openPull(1, { author: 'mallory', body: 'Fixes #1', files });
    for (const name of ['aegis/validate', 'aegis/rbac', 'aegis/freeze']) {
      expect(h.fake.state.latestCheck(name, pull.headSha), name).toMatchObject({
        conclusion: 'failure',
        title: `Too many schema files: ${count} (at most ${MAX_CHANGED_FILES})`,
      });
    }
    expect(h.fake.state.latestCheck('aegis/validate', pull.headSha)?.summary).toMatch(/Split the change/);
    expect(h.bot.bot.cache.parsed - parsed).toBe(0);
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
  });
});
