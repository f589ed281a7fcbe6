import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const script = (name: string): string => fileURLToPath(new URL(`../../scripts/${name}`, import.meta.url));

/** Runs a script with node and collects its exit code and output. */
function run(name: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script(name), ...args], (error, stdout) => {
      resolve({ code: error ? Number(error.code) : 0, stdout });
    });
  });
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('scripts/check-import-cycles.mjs', () => {
  it('lists each cycle of relative imports (type-only and re-exports included) and exits 1', async () => {
    const tree = await tempDir({
      'packages/a/src/one.ts': "import { two } from './two.js';\nexport const one = two;\n",
      'packages/a/src/two.ts': "import type { Three } from './deep/three.js';\nexport const two = 2 as Three;\n",
      'packages/a/src/deep/three.ts': "export { one } from '../one.js';\nexport type Three = number;\n",
      'packages/a/src/self.ts': "import './self.js';\n",
      'packages/b/src/clean.ts': "import { one } from '@aegis/a';\nimport { two } from '../../a/src/two.js';\n",
    });
    cleanup = tree.cleanup;
    const { code, stdout } = await run('check-import-cycles.mjs', ['--root', tree.dir]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'import cycle (3 files): packages/a/src/deep/three.ts → packages/a/src/one.ts → packages/a/src/two.ts → packages/a/src/deep/three.ts',
    );
    expect(stdout).toContain('import cycle (1 file): packages/a/src/self.ts → packages/a/src/self.ts');
    expect(stdout).toContain('2 import cycle(s) in 5 files');
  });

  it('exits 0 on a tree without cycles', async () => {
    const tree = await tempDir({
      'packages/a/src/index.ts': "export * from './one.js';\n",
      'packages/a/src/one.ts': "import { helper } from './util/index.js';\nexport const one = helper;\n",
      'packages/a/src/util/index.ts': 'export const helper = 1;\n',
    });
    cleanup = tree.cleanup;
    expect(await run('check-import-cycles.mjs', ['--root', tree.dir])).toEqual({
      code: 0,
      stdout: 'no import cycle in 3 files under packages/*/src\n',
    });
  });
});

describe('scripts/check-function-length.mjs', () => {
  const lines = (n: number): string => Array.from({ length: n - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');

  it('lists production functions over the limit, longest first, and leaves tests and test-support out', async () => {
    const tree = await tempDir({
      'src/long.ts': `export function long(): void {\n${lines(8)}\n}\nexport const arrow = (): void => {\n${lines(6)}\n};\n`,
      'src/short.ts': `export function short(): void {\n${lines(5)}\n}\n`,
      'src/long.test.ts': `function inTest(): void {\n${lines(20)}\n}\n`,
      'src/test-support/fake.ts': `export function fake(): void {\n${lines(20)}\n}\n`,
    });
    cleanup = tree.cleanup;
    const { code, stdout } = await run('check-function-length.mjs', ['--max', '5', `${tree.dir}/src`]);
    expect(code).toBe(1);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^8 lines {2}.*src\/long\.ts:1 {2}long$/);
    expect(rows[1]).toMatch(/^6 lines {2}.*src\/long\.ts:9 {2}arrow$/);
    expect(rows[2]).toBe('2 function(s) over 5 lines in 2 production files');
    expect((await run('check-function-length.mjs', ['--max', '8', `${tree.dir}/src`])).code).toBe(0);
  });
});
