/**
 * bench/migrate lock window: a concurrent reader's worst wait while NOT NULL is added through a validated check on
 * a big table, in the old form (the VALIDATE inside the main transaction, after `ADD CONSTRAINT … NOT VALID`, so
 * its ACCESS EXCLUSIVE lock is held for the whole scan) and in the plan's form (each statement in its own
 * transaction: the scan holds only SHARE UPDATE EXCLUSIVE). Local PostgreSQL, a fresh database, dropped after.
 *
 *   pnpm exec tsx bench/migrate/lock-window.ts [-- --rows 1000000 --runs 3]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { connectDatabase, type SqlClient } from '@aegis/migrate';

const ADMIN_URL = process.env.AEGIS_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const { values } = parseArgs({ options: { rows: { type: 'string' }, runs: { type: 'string' } } });
const ROWS = Number(values.rows ?? 1_000_000);
const RUNS = Number(values.runs ?? 3);

const ADD = 'ALTER TABLE big ADD CONSTRAINT big_note_not_null CHECK (note IS NOT NULL) NOT VALID';
const VALIDATE = 'ALTER TABLE big VALIDATE CONSTRAINT big_note_not_null';
const SET = 'ALTER TABLE big ALTER COLUMN note SET NOT NULL';
const DROP = 'ALTER TABLE big DROP CONSTRAINT big_note_not_null';
/** The old plan: one transaction. The new plan: the NOT VALID check in the main one, the rest each on its own. */
const FORMS: Record<string, string[][]> = {
  'VALIDATE in the main transaction (before)': [[ADD, VALIDATE, SET, DROP]],
  'VALIDATE in its own transaction (after)': [[ADD], [VALIDATE], [SET], [DROP]],
};

async function runTransactions(client: SqlClient, transactions: string[][]): Promise<void> {
  for (const statements of transactions) {
    await client.query('BEGIN');
    for (const sql of statements) await client.query(sql);
    await client.query('COMMIT');
  }
}

/** Reads one row by key in a loop until `done`; returns the slowest read (ms). */
async function reader(client: SqlClient, done: () => boolean): Promise<number> {
  let worst = 0;
  while (!done()) {
    const start = performance.now();
    await client.query('SELECT note FROM big WHERE id = $1', [1 + Math.floor(Math.random() * ROWS)]);
    worst = Math.max(worst, performance.now() - start);
  }
  return worst;
}

async function measure(url: string, transactions: string[][]): Promise<{ worst: number; took: number }> {
  const [migrator, readerClient] = [await connectDatabase(url), await connectDatabase(url)];
  try {
    await migrator.query('ALTER TABLE big ALTER COLUMN note DROP NOT NULL');
    let finished = false;
    const reading = reader(readerClient, () => finished);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the reader is running before the migration starts
    const start = performance.now();
    await runTransactions(migrator, transactions);
    const took = performance.now() - start;
    finished = true;
    return { worst: await reading, took };
  } finally {
    await migrator.end();
    await readerClient.end();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const admin = await connectDatabase(ADMIN_URL);
  const name = `aegis_bench_lock_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    const setup = await connectDatabase(url.toString());
    await setup.query('CREATE TABLE big (id bigint PRIMARY KEY, note text)');
    await setup.query(`INSERT INTO big SELECT g, 'note ' || g FROM generate_series(1, ${ROWS}) g`);
    await setup.query('VACUUM ANALYZE big');
    await setup.end();
    console.log(
      `lock window on ${ROWS.toLocaleString('en')} rows, ${RUNS} runs each, load ${loadavg()[0]?.toFixed(1)}`,
    );
    console.log('| form | reader worst wait, median (max) ms | migration ms, median |');
    console.log('| --- | ---: | ---: |');
    for (const [form, transactions] of Object.entries(FORMS)) {
      const results = [];
      for (let i = 0; i < RUNS; i++) results.push(await measure(url.toString(), transactions));
      const worst = results.map((r) => r.worst);
      console.log(
        `| ${form} | ${median(worst).toFixed(1)} (${Math.max(...worst).toFixed(1)}) | ${median(results.map((r) => r.took)).toFixed(0)} |`,
      );
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
