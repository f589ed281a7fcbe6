/**
 * bench/migrate: `aegis migrate apply` (library, built dist) against the floor of `psql -f` running the same
 * SQL, on the local PostgreSQL, each run in a fresh database. Two cases: a generated 500-schema registry from
 * empty, and a 50-schema change on top of it. Prints medians and ratios (aegis / psql).
 *
 *   pnpm bench:migrate [-- --schemas 500 --changed 50 --runs 3]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { changePlan, createPlan, renderSqlScript } from '@aegis/core';
import {
  applyMigration,
  connectDatabase,
  loadRegistryVersion,
  verifyMigration,
  type RegistryVersion,
} from '@aegis/migrate';
import { registryFiles } from './generate-registry.js';

const run = promisify(execFile);
const ADMIN_URL = process.env.AEGIS_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const { values } = parseArgs({
  options: { schemas: { type: 'string' }, changed: { type: 'string' }, runs: { type: 'string' } },
});
const SCHEMAS = Number(values.schemas ?? 500);
const CHANGED = Number(values.changed ?? 50);
const RUNS = Number(values.runs ?? 3);

let counter = 0;
async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `aegis_bench_migrate_${process.pid}_${counter++}`;
  const admin = await connectDatabase(ADMIN_URL);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function git(dir: string, ...args: string[]): Promise<void> {
  await run('git', args, {
    cwd: dir,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'b@x',
    },
  });
}

async function commitFiles(dir: string, files: Record<string, string>, message: string): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    const target = path.join(dir, file);
    await run('mkdir', ['-p', path.dirname(target)]);
    await writeFile(target, text);
  }
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', message);
}

const psql = (url: string, file: string) =>
  run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file], { maxBuffer: 64 * 1024 * 1024 });

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Case {
  label: string;
  statements: number;
  aegis: number[];
  psql: number[];
}

async function benchCreate(v1: RegistryVersion, createSql: string): Promise<{ create: Case; noop: number[] }> {
  const result: Case = {
    label: `apply ${SCHEMAS} schemas from empty`,
    statements: createPlan(v1.registry).length,
    aegis: [],
    psql: [],
  };
  const noop: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    result.aegis.push(
      await withDatabase(async (url) => {
        const ms = await timed(() => applyMigration({ databaseUrl: url, target: v1, appliedBy: 'bench' }));
        // The fixed cost of every run: connect, lock, history, drift check over all tables, plan.
        noop.push(await timed(() => applyMigration({ databaseUrl: url, target: v1, appliedBy: 'bench' })));
        return ms;
      }),
    );
    result.psql.push(await withDatabase((url) => timed(() => psql(url, createSql))));
  }
  return { create: result, noop };
}

async function benchChange(v1: RegistryVersion, v2: RegistryVersion, changeSql: string): Promise<Case> {
  const result: Case = {
    label: `apply a ${CHANGED}-schema change`,
    statements: changePlan(v1.registry, v2.registry).length,
    aegis: [],
    psql: [],
  };
  for (let i = 0; i < RUNS; i++) {
    result.aegis.push(
      await withDatabase(async (url) => {
        await applyMigration({ databaseUrl: url, target: v1, appliedBy: 'bench' });
        return timed(() => applyMigration({ databaseUrl: url, target: v2, appliedBy: 'bench' }));
      }),
    );
    // The floor starts from the same state (built by apply), so both runs change identical databases.
    result.psql.push(
      await withDatabase(async (url) => {
        await applyMigration({ databaseUrl: url, target: v1, appliedBy: 'bench' });
        return timed(() => psql(url, changeSql));
      }),
    );
  }
  return result;
}

/** verify: a throwaway database, v1 created + the change, v2 created, catalogs compared, dropped. */
async function benchVerify(
  v1: RegistryVersion,
  v2: RegistryVersion,
  files: { createSql: string; changeSql: string; headSql: string },
): Promise<Case> {
  const result: Case = {
    label: `verify the ${CHANGED}-schema change (throwaway database)`,
    statements: 0,
    aegis: [],
    psql: [],
  };
  result.statements =
    createPlan(v1.registry).length + changePlan(v1.registry, v2.registry).length + createPlan(v2.registry).length;
  for (let i = 0; i < RUNS; i++) {
    result.aegis.push(await timed(() => verifyMigration({ databaseUrl: ADMIN_URL, base: v1, head: v2 })));
    // The floor does the same SQL work, database creation and drop included, but compares nothing.
    result.psql.push(
      await timed(async () => {
        await withDatabase(async (url) => {
          await psql(url, files.createSql);
          await psql(url, files.changeSql);
        });
        await withDatabase((url) => psql(url, files.headSql));
      }),
    );
  }
  return result;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aegis-bench-migrate-'));
  try {
    await git(dir, 'init', '-q', '-b', 'main');
    await commitFiles(dir, registryFiles(SCHEMAS), 'v1');
    await git(dir, 'tag', 'v1');
    await commitFiles(dir, registryFiles(SCHEMAS, CHANGED), 'v2');
    const load = await timed(() => loadRegistryVersion(dir, 'v1'));
    const [v1, v2] = [await loadRegistryVersion(dir, 'v1'), await loadRegistryVersion(dir, 'main')];
    const createSql = path.join(dir, 'create.sql');
    const changeSql = path.join(dir, 'change.sql');
    await writeFile(createSql, renderSqlScript(createPlan(v1.registry)));
    await writeFile(changeSql, renderSqlScript(changePlan(v1.registry, v2.registry)));
    const headSql = path.join(dir, 'head.sql');
    await writeFile(headSql, renderSqlScript(createPlan(v2.registry)));
    const { create, noop } = await benchCreate(v1, createSql);
    const cases = [
      create,
      await benchChange(v1, v2, changeSql),
      await benchVerify(v1, v2, { createSql, changeSql, headSql }),
    ];
    console.log(
      `each run: a fresh database; aegis = applyMigration (history read, drift check, plan, one transaction, after-commit steps recorded, catalog stored); floor = psql -f of renderSqlScript(the same steps)`,
    );
    console.log(
      `bench/migrate: PostgreSQL ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')}, ${RUNS} runs each, medians (ms); loading the registry from git (not in the timings): ${load.toFixed(0)} ms`,
    );
    console.log('| case | statements | aegis median (min) | psql -f median (min) | ratio of medians | ratio of mins |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const c of cases) {
      const [a, p, amin, pmin] = [median(c.aegis), median(c.psql), Math.min(...c.aegis), Math.min(...c.psql)];
      console.log(
        `| ${c.label} | ${c.statements} | ${a.toFixed(0)} (${amin.toFixed(0)}) | ${p.toFixed(0)} (${pmin.toFixed(0)}) | ${(a / p).toFixed(2)}× | ${(amin / pmin).toFixed(2)}× |`,
      );
    }
    console.log(
      `| re-run at the same version (no-op: history, drift check over ${SCHEMAS} tables, plan) | 0 | ${median(noop).toFixed(0)} (${Math.min(...noop).toFixed(0)}) | – | – | – |`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
