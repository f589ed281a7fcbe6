import { afterEach, describe, expect, it } from 'vitest';
import { buildSchemaChanged, schemaChangedErrors } from '@aegis/events';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';
import { addNullableColumn, exampleRegistry, removePhone } from './fixtures.js';

let repo: GitRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('schema.changed', () => {
  it('describes a breaking change with owners, dependents and the registry version', async () => {
    const files = await exampleRegistry();
    repo = await createGitRepo({ files });
    const before = await repo.sha();
    const after = await repo.commit('drop phone', {
      '.kiro/schemas/users.yaml': removePhone(files['.kiro/schemas/users.yaml'] as string),
    });
    const event = await buildSchemaChanged({
      repoDir: repo.dir,
      repository: 'acme/registry',
      branch: 'main',
      before,
      after,
      pusher: 'alice',
    });
    expect(event).toBeDefined();
    const data = event!.data;
    expect(data).toMatchObject({
      repository: 'acme/registry',
      branch: 'main',
      before,
      after,
      breaking: true,
      pusher: 'alice',
    });
    expect(data.registry_version).toBe(await repo.git('rev-parse', `${after}:.kiro/schemas`));
    expect(data.previous_registry_version).toBe(await repo.git('rev-parse', `${before}:.kiro/schemas`));
    expect(data.schemas.map((s) => s.name)).toEqual(['users']);
    const users = data.schemas[0]!;
    expect(users).toMatchObject({
      status: 'changed',
      owner: 'user-service',
      version: '2.0.0',
      previous_version: '1.0.0',
      breaking: true,
    });
    expect(users.changes).toContainEqual(
      expect.objectContaining({ kind: 'column-removed', subject: 'phone', breaking: true }),
    );
    expect(users.dependents.services).toEqual(['application-service', 'audit-service', 'policy-service']);
    expect(users.dependents.schemas).toContainEqual({ name: 'applications', direct: true });
    expect(event!.id).toBe(`schema.changed:acme/registry:main:${after}`);
    expect(schemaChangedErrors(event)).toEqual([]);
  });

  it('marks a compatible change as not breaking, and a push that leaves the registry alone yields no event', async () => {
    const files = await exampleRegistry();
    repo = await createGitRepo({ files });
    const first = await repo.sha();
    const second = await repo.commit('nickname', {
      '.kiro/schemas/users.yaml': addNullableColumn(files['.kiro/schemas/users.yaml'] as string),
    });
    const event = await buildSchemaChanged({
      repoDir: repo.dir,
      repository: 'acme/registry',
      branch: 'main',
      before: first,
      after: second,
    });
    expect(event?.data.breaking).toBe(false);
    expect(event?.data.schemas[0]?.changes).toContainEqual(
      expect.objectContaining({ kind: 'column-added', subject: 'nickname', breaking: false }),
    );
    const third = await repo.commit('readme only', { 'README.md': 'hello\n' });
    expect(
      await buildSchemaChanged({
        repoDir: repo.dir,
        repository: 'acme/registry',
        branch: 'main',
        before: second,
        after: third,
      }),
    ).toBeUndefined();
  });

  it('treats a new branch (zero before) as every schema added', async () => {
    repo = await createGitRepo({ files: await exampleRegistry() });
    const after = await repo.sha();
    const event = await buildSchemaChanged({
      repoDir: repo.dir,
      repository: 'acme/registry',
      branch: 'main',
      before: '0'.repeat(40),
      after,
    });
    expect(event?.data.before).toBeNull();
    expect(event?.data.previous_registry_version).toBeNull();
    expect(event?.data.schemas.map((s) => [s.name, s.status])).toEqual([
      ['applications', 'added'],
      ['audit_logs', 'added'],
      ['policies', 'added'],
      ['users', 'added'],
    ]);
  });
});
