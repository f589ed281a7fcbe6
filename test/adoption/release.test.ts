import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Adopter, mustRun, WORKSPACE } from './adopter.js';

interface Workflow {
  on: { push: { branches?: string[]; tags?: string[] } };
  jobs: Record<string, { if?: string; needs?: string[]; uses?: string; steps?: { run?: string; uses?: string }[] }>;
}

/** The release scripts test/adoption runs, each on the artefact it makes. */
const TESTED_SCRIPTS = ['build-action.mjs', 'bundle-app.mjs', 'pack-cli.mjs', 'package-extension.mjs'];

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

describe('releases', () => {
  let workflow: Workflow;
  let adopter: Adopter;
  beforeAll(async () => {
    workflow = parse(await readFile(path.join(WORKSPACE, '.github/workflows/release.yml'), 'utf8')) as Workflow;
    adopter = await Adopter.create();
  });
  afterAll(() => adopter.cleanup());

  it('the release workflow builds every artefact with a script the tests run, and publishes after the tests', async () => {
    const runs = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).map((s) => s.run ?? ''));
    const scripts = runs.flatMap((run) => [...run.matchAll(/node scripts\/([\w-]+\.mjs)/g)].map((m) => m[1]));
    expect([...new Set(scripts)].sort()).toEqual(TESTED_SCRIPTS);
    const tests = await Promise.all(
      (await readdir(import.meta.dirname)).map((f) => readFile(path.join(import.meta.dirname, f), 'utf8')),
    );
    for (const script of TESTED_SCRIPTS) expect(tests.some((t) => t.includes(`scripts/${script}`))).toBe(true);
    expect(workflow.on.push.tags).toEqual(['v*.*.*']);
    expect(workflow.jobs['test']?.uses).toBe('./.github/workflows/ci.yml');
    for (const publish of ['npm', 'extension', 'action', 'image'])
      expect(workflow.jobs[publish]?.needs).toContain('test');
    const all = JSON.stringify(workflow);
    for (const step of ['npm publish', 'vsce@3.9.2 publish --no-dependencies', 'ovsx@', 'docker/build-push-action'])
      expect(all).toContain(step);
  });

  it('changeset version bumps every package and the extension together and writes their changelogs', async () => {
    // The workspace's manifests and changesets configuration, without its pending changesets.
    const clone = adopter.dir('clone');
    const manifests = (await readdir(path.join(WORKSPACE, 'packages'))).map((p) => `packages/${p}/package.json`);
    const files = ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json', 'extension/CHANGELOG.md'];
    for (const dir of ['extension', 'test', 'bench']) files.push(`${dir}/package.json`);
    for (const file of [...files, ...manifests]) {
      await mkdir(path.dirname(path.join(clone, file)), { recursive: true });
      await copyFile(path.join(WORKSPACE, file), path.join(clone, file));
    }
    const changesets = path.join(clone, '.changeset');
    await writeFile(
      path.join(changesets, 'a-test-change.md'),
      '---\n"@aegis/cli": minor\n---\n\nA change that users notice.\n',
    );
    const version = async (dir: string) =>
      (await readJson<{ version: string }>(path.join(clone, dir, 'package.json'))).version;
    const [before, testsBefore] = [await version('packages/cli'), await version('test')];
    await mustRun(path.join(WORKSPACE, 'node_modules/.bin/changeset'), ['version'], clone);
    const [major = 0, minor = 0] = before.split('.').map(Number);
    const expected = `${major}.${minor + 1}.0`;
    for (const dir of ['packages/cli', 'packages/core', 'packages/bot', 'extension'])
      expect(await version(dir)).toBe(expected);
    expect(await version('test')).toBe(testsBefore);
    const changelog = await readFile(path.join(clone, 'extension/CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${expected}`);
    expect(await readFile(path.join(clone, 'packages/cli/CHANGELOG.md'), 'utf8')).toContain(
      'A change that users notice.',
    );
  });
});
