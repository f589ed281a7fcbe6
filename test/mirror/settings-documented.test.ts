import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBotOptions } from '@aegis/bot';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string): Promise<string> => readFile(path.join(ROOT, file), 'utf8');

/** The mirror's and the write budget's settings (issue #19), named in quotes where `read-bot-options.ts` reads them. */
const SETTINGS = /'(AEGIS_(?:MIRROR_\w+|GIT_URL|WRITE_BUDGET|GITHUB_THROTTLE))'/g;

/** `| `NAME` | default | meaning |` rows of a Markdown table: name → [default, meaning]. */
function rows(markdown: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    const cells = line.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim());
    const name = /^`(AEGIS_\w+)`$/.exec(cells[0] ?? '')?.[1];
    if (name) out.set(name, cells.slice(1));
  }
  return out;
}

/** A budget written `1/1s,80/1m,500/1h` as windows in ms. */
function windows(text: string): { limit: number; windowMs: number }[] {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return text.split(',').map((part) => {
    const [, limit, n, u] = /^(\d+)\/(\d+)(ms|s|m|h)$/.exec(part) ?? [];
    return { limit: Number(limit), windowMs: Number(n) * (unit[u ?? ''] ?? NaN) };
  });
}

describe('the mirror’s and the write budget’s settings are documented as the app reads them (#19)', () => {
  it('every one read is in docs/github-app.md’s table and the README’s, with the defaults the app applies', async () => {
    const source = await read('packages/bot/src/read-bot-options.ts');
    const names = [...new Set([...source.matchAll(SETTINGS)].map((m) => m[1]!))].sort();
    expect(names).toEqual([
      'AEGIS_GITHUB_THROTTLE',
      'AEGIS_GIT_URL',
      'AEGIS_MIRROR_BUDGET_MB',
      'AEGIS_MIRROR_CONCURRENCY',
      'AEGIS_MIRROR_DIR',
      'AEGIS_WRITE_BUDGET',
    ]);
    const guide = await read('docs/github-app.md');
    const table = rows(guide.slice(guide.indexOf('## Configuration'), guide.indexOf('## Against real GitHub')));
    expect(names.filter((n) => !table.has(n))).toEqual([]);
    const readme = rows(await read('README.md'));
    for (const name of ['AEGIS_MIRROR_DIR', 'AEGIS_MIRROR_CONCURRENCY', 'AEGIS_MIRROR_BUDGET_MB', 'AEGIS_WRITE_BUDGET'])
      expect([name, readme.has(name)]).toEqual([name, true]);

    const defaults = await readBotOptions({ APP_ID: '1', PRIVATE_KEY: 'k', WEBHOOK_SECRET: 's', AEGIS_DATA_DIR: '/d' });
    expect(table.get('AEGIS_MIRROR_DIR')?.[0]).toBe('`<data dir>-mirrors`');
    expect(defaults.mirror.dir).toBe('/d-mirrors');
    expect(table.get('AEGIS_MIRROR_BUDGET_MB')?.[0]).toMatch(/no limit/);
    expect(defaults.mirror.diskBudgetBytes).toBeUndefined();
    expect(table.get('AEGIS_MIRROR_CONCURRENCY')?.[0]).toBe('4');
    expect(defaults.mirror.concurrency).toBeUndefined();
    expect(source).toMatch(/AEGIS_MIRROR_CONCURRENCY must be a whole number ≥ 1/);
    const budget = /^`([^`]+)`$/.exec(table.get('AEGIS_WRITE_BUDGET')?.[0] ?? '')?.[1] ?? '';
    expect(windows(budget)).toEqual(defaults.writeBudget);
    expect(defaults.githubThrottle).toBe(true);
    expect(table.get('AEGIS_GITHUB_THROTTLE')?.[0]).toBe('on');
  });
});
