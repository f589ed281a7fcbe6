import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Unit tests import sibling packages from source, so a change is tested without a rebuild;
// end-to-end tests spawn the built binaries (the test script builds first).
export default defineConfig({
  resolve: {
    alias: {
      // Before '@aegis/core', which would also take its subpaths.
      '@aegis/core/parser-fingerprint': fileURLToPath(
        new URL('./packages/core/src/parser-fingerprint.ts', import.meta.url),
      ),
      '@aegis/core': src('core'),
      '@aegis/git': src('git'),
      '@aegis/freeze': src('freeze'),
      '@aegis/bot': src('bot'),
      '@aegis/language-server': src('language-server'),
      '@aegis/migrate': src('migrate'),
      '@aegis/events': src('events'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
