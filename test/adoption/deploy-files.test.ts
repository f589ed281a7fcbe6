import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKSPACE } from './adopter.js';
import { healthcheckCommand, readDockerfile } from './dockerfile.js';

// The image cannot be built here (no Docker daemon): these hold the recipe to what adoption.test.ts proves
// of the bundle it copies (started with `node aegis.mjs bot`, its HEALTHCHECK command run against it).
describe('the Dockerfile and docker-compose.yml', () => {
  it('the image only copies the tested bundle and runs it as a non-root user with a data volume', async () => {
    const steps = await readDockerfile();
    const final = steps.slice(steps.map((s) => s.keyword).lastIndexOf('FROM'));
    expect(steps.filter((s) => s.keyword === 'FROM').length).toBeGreaterThanOrEqual(2);
    const copies = steps.filter((s) => s.keyword === 'COPY' || s.keyword === 'ADD').map((s) => s.args);
    expect(copies).toEqual(['build/app/ ./', '--from=bundle /app/ /app/']);
    expect(steps.filter((s) => /\b(npm|pnpm|npx|esbuild|tsc)\b/.test(s.args))).toEqual([]);
    const user = final.filter((s) => s.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(final.find((s) => s.keyword === 'VOLUME')?.args).toBe('["/data"]');
    expect(final.find((s) => s.keyword === 'ENV')?.args).toContain('AEGIS_DATA_DIR=/data/db');
    expect(final.find((s) => s.keyword === 'ENTRYPOINT')?.args).toContain('/app/aegis.mjs');
    expect(final.find((s) => s.keyword === 'CMD')?.args).toBe('["bot"]');
    expect(healthcheckCommand(steps).join(' ')).toContain('/healthz');
  });

  it('compose runs several replicas of the app on PostgreSQL, Redis and NATS', async () => {
    const compose = parse(await readFile(path.join(WORKSPACE, 'docker-compose.yml'), 'utf8')) as {
      services: Record<
        string,
        { image?: string; environment?: Record<string, string>; deploy?: { replicas?: number } }
      >;
    };
    const { aegis, postgres, redis, nats } = compose.services;
    expect(aegis?.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(aegis?.environment).toMatchObject({
      DATABASE_URL: expect.stringMatching(/^postgresql:\/\/[^@]+@postgres:5432\//) as string,
      REDIS_URL: 'redis://redis:6379',
      NATS_URL: 'nats://nats:4222',
    });
    expect([postgres?.image, redis?.image, nats?.image]).toEqual([
      expect.stringMatching(/^postgres:/),
      expect.stringMatching(/^redis:/),
      expect.stringMatching(/^nats:/),
    ]);
  });
});
