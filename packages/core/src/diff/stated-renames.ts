import type { Registry, Schema, Spanned } from '../model.js';
import type { Range } from '../position.js';

/** A `renamed_from` that cannot be honoured: the change treats the thing as new, and says why. */
export interface RenameProblem {
  file: string;
  range: Range;
  message: string;
  hint: string;
}

/**
 * The renames a change states with `renamed_from`, and only those: nothing is inferred from names, types or
 * positions. A `renamed_from` counts only while the new name is absent from the base (once the rename is
 * merged the line is history), and must name something the base has and the head no longer has.
 */
export interface StatedRenames {
  /** Head schema name → its base name. */
  schemas: Map<string, string>;
  /** Head schema name → (head column name → base column name). */
  columns: Map<string, Map<string, string>>;
  problems: RenameProblem[];
}

/** The head name of a base schema (itself when it was not renamed). */
export function headSchemaName(renames: StatedRenames, baseName: string): string {
  for (const [head, base] of renames.schemas) if (base === baseName) return head;
  return baseName;
}

/** The head name of a base column of a head schema (itself when it was not renamed). */
export function headColumnName(renames: StatedRenames, headSchema: string, baseColumn: string): string {
  for (const [head, base] of renames.columns.get(headSchema) ?? []) if (base === baseColumn) return head;
  return baseColumn;
}

/** The base schema a head schema continues: its own name, or the one it states it was renamed from. */
export function baseSchemaOf(base: Registry, renames: StatedRenames, head: Schema): Schema | undefined {
  return base.schemas.get(renames.schemas.get(head.name.value) ?? head.name.value);
}

/** Checks one `renamed_from`; returns the problem or undefined when it may be honoured. */
function problemOf(
  what: 'schema' | 'column',
  from: Spanned<string>,
  where: { file: string; inBase: boolean; inHead: boolean; claimed: boolean; baseName: string },
): RenameProblem | undefined {
  const old = from.value;
  const problem = (message: string, hint: string): RenameProblem => ({
    file: where.file,
    range: from.range,
    message,
    hint,
  });
  if (!where.inBase)
    return problem(
      `renamed_from: ${old} names no ${what} of the base (${where.baseName})`,
      `Fix the old name, or remove renamed_from: the ${what} is then created as new.`,
    );
  if (where.inHead)
    return problem(
      `renamed_from: ${old} names a ${what} that still exists`,
      `A rename removes the old name: remove renamed_from, or the ${what} ${old}.`,
    );
  if (where.claimed)
    return problem(`renamed_from: ${old} is claimed twice`, `Only one ${what} can be renamed from ${old}.`);
  return undefined;
}

/** The renames `head` states against `base`, with the `renamed_from` lines that cannot be honoured. */
export function statedRenames(base: Registry, head: Registry): StatedRenames {
  const renames: StatedRenames = { schemas: new Map(), columns: new Map(), problems: [] };
  for (const schema of head.schemas.values()) {
    const from = schema.renamedFrom;
    if (!from || base.schemas.has(schema.name.value)) continue;
    const problem = problemOf('schema', from, {
      file: schema.file,
      inBase: base.schemas.has(from.value),
      inHead: head.schemas.has(from.value),
      claimed: [...renames.schemas.values()].includes(from.value),
      baseName: 'base branch',
    });
    if (problem) renames.problems.push(problem);
    else renames.schemas.set(schema.name.value, from.value);
  }
  for (const schema of head.schemas.values()) columnRenames(baseSchemaOf(base, renames, schema), schema, renames);
  return renames;
}

function columnRenames(base: Schema | undefined, head: Schema, renames: StatedRenames): void {
  const found = new Map<string, string>();
  const baseColumns = new Set(base?.columns.map((c) => c.name.value));
  const headColumns = new Set(head.columns.map((c) => c.name.value));
  for (const column of head.columns) {
    const from = column.renamedFrom;
    if (!from || baseColumns.has(column.name.value)) continue;
    const problem = problemOf('column', from, {
      file: head.file,
      inBase: baseColumns.has(from.value),
      inHead: headColumns.has(from.value),
      claimed: [...found.values()].includes(from.value),
      baseName: base ? `schema ${base.name.value} in the base` : `${head.name.value} is new`,
    });
    if (problem) renames.problems.push(problem);
    else found.set(column.name.value, from.value);
  }
  if (found.size > 0) renames.columns.set(head.name.value, found);
}
