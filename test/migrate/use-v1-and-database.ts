import { afterEach } from 'vitest';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';
import { createTestDatabase, type TestDatabase } from './migrate-db.js';
import { v1 } from './registry-files.js';

/**
 * For a describe block: `setup()` gives a test a repository holding v1 (`registry-files.ts`) and an empty database
 * of its own; after the test, what `defer` was given and then both are removed, last registered first.
 */
export function useV1AndDatabase(): {
  setup: () => Promise<{ repo: GitRepo; db: TestDatabase }>;
  defer: (cleanup: () => Promise<void>) => void;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: () => Promise<void>): void => void cleanups.push(cleanup);
  const setup = async (): Promise<{ repo: GitRepo; db: TestDatabase }> => {
    const repo = await createGitRepo({ files: v1() });
    defer(() => repo.cleanup());
    const db = await createTestDatabase();
    defer(() => db.drop());
    return { repo, db };
  };
  return { setup, defer };
}
