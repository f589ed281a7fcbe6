import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_EVENTS } from '@aegis/bot';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

describe('app.yml manifest', () => {
  it('subscribes to exactly the events the app handles and asks for the minimal permissions', async () => {
    const text = await readFile(path.resolve(import.meta.dirname, '../../packages/bot/app.yml'), 'utf8');
    const manifest = parse(text) as { default_events: string[]; default_permissions: Record<string, string> };
    expect([...manifest.default_events].sort()).toEqual(Object.keys(APP_EVENTS).sort());
    expect(manifest.default_permissions).toEqual({
      checks: 'write',
      contents: 'write',
      pull_requests: 'write',
      issues: 'write',
      metadata: 'read',
      members: 'read',
    });
  });
});
