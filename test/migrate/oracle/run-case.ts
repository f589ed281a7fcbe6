import {
  changePlan,
  creationOrder,
  loadRegistry,
  memoryFileSource,
  renderSqlScript,
  validateRegistry,
  type Registry,
} from '@aegis/core';
import { readCatalog, StepFailedError, type ApplyResult, type PlannedStep } from '@aegis/migrate';
import { createTestDatabase, type SqlClient } from '../migrate-db.js';
import { applySchemas, differencesFromCreate, history } from '../plan-harness.js';
import { mutate } from './mutations.js';
import { Random } from '../../helpers/random.js';
import { clone, randomRegistry, registryFiles, type RegistryModel } from './registry-model.js';
import { insertRows, sameValue, snapshot, type Snapshot } from './rows.js';

/** How one random case ended. */
export type Outcome =
  | 'applied'
  | 'refused by data' // a guard or PostgreSQL refused values, before the commit: nothing changed
  | 'invalid head' // the generated change does not validate: not planned
  | 'rejected plan' // PostgreSQL refused a statement for another reason than the data
  | 'catalog mismatch'
  | 'silent data change'
  | 'refusal changed something'
  | 'stranded';

export interface CaseResult {
  seed: number;
  outcome: Outcome;
  mutations: string[];
  detail?: string;
  /** The change plan as the SQL script `aegis migrate` prints (for Squawk). */
  script?: string;
}

export const load = (files: Record<string, string>): Promise<Registry> =>
  loadRegistry(
    memoryFileSource(Object.fromEntries(Object.entries(files).map(([n, t]) => [`.kiro/schemas/${n}.yaml`, t]))),
  );

// SQLSTATE classes of refusals caused by the data: data exceptions, integrity violations, RAISE EXCEPTION.
const DATA_REFUSAL = /SQLSTATE (22|23|P0001)/;

/** A base registry and a head one changed by one to three random mutations, the head validating. */
export async function generate(
  random: Random,
): Promise<{ base: RegistryModel; head: RegistryModel; mutations: string[] } | undefined> {
  const base = randomRegistry(random);
  const head = clone(base);
  const mutations: string[] = [];
  for (let i = random.int(1, 3); i > 0; i--) {
    const label = mutate(random, head, base);
    if (label) mutations.push(label);
  }
  for (const t of head.tables) t.version = '2.0.0';
  const errors = [...validateRegistry(await load(registryFiles(head))).values()]
    .flat()
    .filter((d) => d.severity === 'error');
  return errors.length > 0 ? undefined : { base, head, mutations };
}

/** Values of kept rows and columns that changed while no step the plan names destructive touches them. */
function silentChanges(
  before: Snapshot,
  after: Snapshot,
  base: RegistryModel,
  head: RegistryModel,
  steps: PlannedStep[],
): string[] {
  const found: string[] = [];
  const named = (table: string, column: string): boolean =>
    steps.some(
      (s) => s.schema === table && (s.destructive || s.sql.startsWith('UPDATE')) && s.sql.includes(`${column}`),
    );
  for (const table of head.tables) {
    const rowsBefore = before.get(table.renamedFrom ?? table.name);
    const rowsAfter = after.get(table.name);
    if (!rowsBefore || !rowsAfter || !base.tables.some((t) => t.name === (table.renamedFrom ?? table.name))) continue;
    if (rowsBefore.size !== rowsAfter.size) found.push(`${table.name}: ${rowsBefore.size} rows → ${rowsAfter.size}`);
    for (const [id, row] of rowsBefore) {
      for (const column of table.columns) {
        const old = column.renamedFrom ?? column.name;
        if (!row.has(old) || named(table.name, column.name)) continue;
        const now = rowsAfter.get(id)?.get(column.name) ?? null;
        if (!sameValue(row.get(old) ?? null, now))
          found.push(`${table.name}.${column.name} id ${id}: ${row.get(old)} → ${now}`);
      }
    }
  }
  return found;
}

/** Builds base on a fresh database with rows, applies head, and judges the outcome against the oracle. */
export async function runCase(seed: number): Promise<CaseResult> {
  const random = new Random(seed);
  const generated = await generate(random);
  if (!generated) return { seed, outcome: 'invalid head', mutations: [] };
  const { base, head, mutations } = generated;
  const [baseFiles, headFiles] = [registryFiles(base), registryFiles(head)];
  const db = await createTestDatabase();
  try {
    await applySchemas(db.url, baseFiles);
    await insertRows(db.client, random, base, creationOrder((await load(baseFiles)).schemas.values()));
    const state = async (client: SqlClient) => ({ catalog: await readCatalog(client), history: await history(client) });
    const [before, rows] = [await state(db.client), await snapshot(db.client, base)];
    const script = renderSqlScript(changePlan(await load(baseFiles), await load(headFiles)));
    const result = { seed, mutations, script };
    const applied = await applySchemas(db.url, headFiles).catch((error: unknown) => error);
    if (applied instanceof StepFailedError) {
      if (!applied.rolledBack) {
        const again = await applySchemas(db.url, headFiles).catch((error: unknown) => error);
        return { ...result, outcome: 'stranded', detail: `${applied.message}; retry: ${String(again)}` };
      }
      const unchanged =
        JSON.stringify(await state(db.client)) === JSON.stringify(before) &&
        JSON.stringify([...(await snapshot(db.client, base))]) === JSON.stringify([...rows]);
      if (!unchanged) return { ...result, outcome: 'refusal changed something', detail: applied.message };
      return {
        ...result,
        outcome: DATA_REFUSAL.test(applied.serverError) ? 'refused by data' : 'rejected plan',
        detail: applied.message,
      };
    }
    if (applied instanceof Error) throw applied;
    const { steps } = applied as ApplyResult;
    const differences = await differencesFromCreate(db.url, db.client, headFiles);
    if (differences.length > 0) return { ...result, outcome: 'catalog mismatch', detail: JSON.stringify(differences) };
    const silent = silentChanges(rows, await snapshot(db.client, head), base, head, steps);
    if (silent.length > 0) return { ...result, outcome: 'silent data change', detail: silent.join('; ') };
    return { ...result, outcome: 'applied' };
  } finally {
    await db.drop();
  }
}

/** What a failing case needs to be understood: its mutations and the plan between its registries. */
export async function describeCase(seed: number): Promise<string> {
  const generated = await generate(new Random(seed));
  if (!generated) return 'invalid head';
  const steps = changePlan(await load(registryFiles(generated.base)), await load(registryFiles(generated.head)));
  return [...generated.mutations, ...steps.map((s) => s.sql)].join('\n');
}
