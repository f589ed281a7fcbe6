import type { ChangeKind, SchemaChange } from './registry-diff.js';

/** What the diff knows about one change, beyond its kind: what the classification may depend on. */
export interface ChangeFacts {
  /** column-type-changed: every existing value fits the new type. */
  widening?: boolean;
  /** column-added: NOT NULL without a default (and not a key). */
  required?: boolean;
  /** column-nullability-changed: became NOT NULL; column-unique-changed: became unique. */
  tightened?: boolean;
  /** The column has a default on the head side. */
  hasDefault?: boolean;
  /** The column is NOT NULL on the head side. */
  notNull?: boolean;
  /** reference-added: on a column added in the same change. */
  newColumn?: boolean;
  /** index-added/changed: the head's rule admits fewer rows (a new or narrower uniqueness). */
  stricter?: boolean;
}

/** One row of the classification: breaking or not (maybe depending on the facts), and what the SQL does. */
export interface ChangeClass {
  breaking: (facts: ChangeFacts) => boolean;
  /** When it is breaking, in words (the docs' "breaking" column). */
  when: string;
  /** The statements a change plan writes for it. */
  sql: string;
  /** The heaviest lock those statements take, and for how long. */
  lock: string;
  /** Whether PostgreSQL rewrites the table. */
  rewrites: string;
}

const always = (): boolean => true;
const never = (): boolean => false;
const BRIEF = 'ACCESS EXCLUSIVE, brief (catalog only)';

/**
 * The diff's classification of every change kind, kept apart from the diff that finds the changes (as atlas
 * keeps its sqlcheck analyzers apart from its diff): one row per kind, breaking or compatible and why, with the
 * SQL, lock and rewrite of the change plan's statements. `docs/git-and-migrations.md` prints this table
 * (`changeClassTable()`), and a test keeps the two the same.
 */
export const CHANGE_CLASSES: Readonly<Record<ChangeKind, ChangeClass>> = {
  'schema-added': {
    breaking: never,
    when: 'never',
    sql: '`CREATE TABLE`',
    lock: 'none on existing tables',
    rewrites: 'no',
  },
  'schema-removed': {
    breaking: always,
    when: 'always',
    sql: '`DROP TABLE` (destructive)',
    lock: 'ACCESS EXCLUSIVE, brief',
    rewrites: 'no',
  },
  'schema-renamed': {
    breaking: always,
    when: 'always (only as stated by `renamed_from`)',
    sql: '`ALTER TABLE … RENAME TO`, constraints and sequences renamed',
    lock: BRIEF,
    rewrites: 'no',
  },
  'schema-owner-changed': { breaking: never, when: 'never', sql: 'none', lock: 'none', rewrites: 'no' },
  'schema-description-changed': { breaking: never, when: 'never', sql: 'none', lock: 'none', rewrites: 'no' },
  'column-added': {
    breaking: (f) => f.required === true,
    when: 'NOT NULL without a default',
    sql: '`ADD COLUMN`',
    lock: BRIEF,
    rewrites: 'only with a volatile default (`gen_random_uuid()`)',
  },
  'column-removed': {
    breaking: always,
    when: 'always',
    sql: '`DROP COLUMN` (destructive)',
    lock: BRIEF,
    rewrites: 'no',
  },
  'column-renamed': {
    breaking: always,
    when: 'always (only as stated by `renamed_from`)',
    sql: '`RENAME COLUMN`, constraints named after it renamed',
    lock: BRIEF,
    rewrites: 'no',
  },
  'column-type-changed': {
    breaking: (f) => f.widening !== true,
    when: 'unless every value fits: `VARCHAR(n)`→`VARCHAR(m≥n)`/`TEXT`, `SMALLINT`→`INTEGER`→`BIGINT`, `NUMERIC(p,s)`→`NUMERIC(p′,s′)` with `s′≥s`, `p′−s′≥p−s`',
    sql: '`ALTER COLUMN TYPE` (assignment form; guarded when it could round; default dropped and set again)',
    lock: 'ACCESS EXCLUSIVE for the rewrite',
    rewrites: 'yes, except lengthening `VARCHAR`, `VARCHAR`→`TEXT`, more `NUMERIC` precision at the same scale',
  },
  'column-nullability-changed': {
    breaking: (f) => f.tightened === true && f.hasDefault !== true,
    when: 'NOT NULL without a default',
    sql: 'NOT NULL: backfill with the default (or a guard), `CHECK … NOT VALID`, `VALIDATE`, `SET NOT NULL`; nullable: `DROP NOT NULL`',
    lock: 'ACCESS EXCLUSIVE brief; the `VALIDATE` scan under SHARE UPDATE EXCLUSIVE in its own transaction',
    rewrites: 'no',
  },
  'column-default-changed': {
    breaking: (f) => f.hasDefault !== true && f.notNull === true,
    when: 'a NOT NULL column loses its default',
    sql: '`SET DEFAULT` / `DROP DEFAULT`',
    lock: BRIEF,
    rewrites: 'no',
  },
  'column-unique-changed': {
    breaking: (f) => f.tightened === true,
    when: 'the column becomes unique',
    sql: 'guard, `CREATE UNIQUE INDEX CONCURRENTLY`, `ADD CONSTRAINT … UNIQUE USING INDEX`; or `DROP CONSTRAINT`',
    lock: 'SHARE UPDATE EXCLUSIVE while building; ACCESS EXCLUSIVE brief to attach',
    rewrites: 'no',
  },
  'column-description-changed': { breaking: never, when: 'never', sql: 'none', lock: 'none', rewrites: 'no' },
  'primary-key-changed': {
    breaking: always,
    when: 'always',
    sql: '`DROP CONSTRAINT …_pkey`, guards, `CREATE UNIQUE INDEX CONCURRENTLY`, `ADD PRIMARY KEY USING INDEX`; dependent foreign keys dropped and added again',
    lock: 'SHARE UPDATE EXCLUSIVE while building; ACCESS EXCLUSIVE to attach (checks NOT NULL)',
    rewrites: 'no',
  },
  'reference-added': {
    breaking: (f) => f.newColumn !== true,
    when: 'on an existing column (rows without a match fail)',
    sql: 'guard, `ADD CONSTRAINT … FOREIGN KEY … NOT VALID`, `VALIDATE CONSTRAINT`',
    lock: 'SHARE ROW EXCLUSIVE on both tables, brief; the `VALIDATE` scan under SHARE UPDATE EXCLUSIVE in its own transaction',
    rewrites: 'no',
  },
  'reference-removed': {
    breaking: never,
    when: 'never (the rules loosen)',
    sql: '`DROP CONSTRAINT`',
    lock: BRIEF,
    rewrites: 'no',
  },
  'reference-changed': {
    breaking: always,
    when: 'always (target, `on_delete` or `on_update`)',
    sql: '`DROP CONSTRAINT`, then as reference-added',
    lock: 'as reference-added',
    rewrites: 'no',
  },
  'index-added': {
    breaking: (f) => f.stricter === true,
    when: 'a unique index',
    sql: '`CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS` (unique: after a duplicates guard)',
    lock: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
    rewrites: 'no',
  },
  'index-removed': {
    breaking: never,
    when: 'never',
    sql: '`DROP INDEX CONCURRENTLY IF EXISTS`',
    lock: 'SHARE UPDATE EXCLUSIVE',
    rewrites: 'no',
  },
  'index-changed': {
    breaking: (f) => f.stricter === true,
    when: 'uniqueness that is new or over fewer columns',
    sql: 'new index built `CONCURRENTLY` under a temporary name, old one dropped `CONCURRENTLY`, `ALTER INDEX … RENAME`',
    lock: 'SHARE UPDATE EXCLUSIVE; ACCESS EXCLUSIVE brief to rename',
    rewrites: 'no',
  },
};

/** A change as the diff finds it: its kind and facts; whether it is breaking is this table's to say. */
export type FoundChange = Omit<SchemaChange, 'schema' | 'file' | 'breaking'> & { facts?: ChangeFacts };

/** The change with its class: `breaking` from the table, the facts dropped. */
export function classified({ facts, ...change }: FoundChange): Omit<SchemaChange, 'schema' | 'file'> {
  return { ...change, breaking: isBreaking(change.kind, facts) };
}

/** Whether a change of this kind, with these facts, is breaking: the one place that decides it. */
export function isBreaking(kind: ChangeKind, facts: ChangeFacts = {}): boolean {
  return CHANGE_CLASSES[kind].breaking(facts);
}

/** The classification as the Markdown table `docs/git-and-migrations.md` shows. */
export function changeClassTable(): string {
  const rows = Object.entries(CHANGE_CLASSES).map(
    ([kind, c]) => `| \`${kind}\` | ${c.when} | ${c.sql} | ${c.lock} | ${c.rewrites} |`,
  );
  return ['| change | breaking when | SQL | lock | rewrites |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
