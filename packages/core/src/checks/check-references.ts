import type { Diagnostic } from '../diagnostic.js';
import { didYouMean } from '../did-you-mean.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Column, LoadedFile, Reference, Registry, Schema } from '../model.js';
import { normalizeSqlType, referencingType } from '../sql-type.js';
import { SchemaLookup } from './schema-lookup.js';

/**
 * The reference checks that need the referenced schema: unknown-schema, unknown-column, fk-type-mismatch
 * and reference-not-unique. Each reference costs a few map lookups, so the whole registry is linear.
 */
export function checkReferences(
  registry: Registry,
  schemas: Iterable<Schema>,
  lookup = new SchemaLookup(),
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const schema of schemas) {
    for (const reference of schema.references) {
      const diagnostic = checkReference(registry, lookup, schema, reference);
      if (diagnostic) diagnostics.push(diagnostic);
    }
  }
  return diagnostics;
}

function checkReference(
  registry: Registry,
  lookup: SchemaLookup,
  schema: Schema,
  reference: Reference,
): Diagnostic | undefined {
  const target = registry.schemas.get(reference.schema.value);
  if (!target) return unknownSchema(registry, lookup, schema, reference);
  const column = lookup.columns(target).get(reference.column.value);
  if (!column) return unknownColumn(lookup, schema, reference, target);
  const foreignKey = lookup.columns(schema).get(reference.foreignKey.value);
  if (foreignKey) {
    const mismatch = typeMismatch(schema, reference, foreignKey, target, column);
    if (mismatch) return mismatch;
  }
  if (!lookup.isUnique(target, column)) return notUnique(lookup, schema, reference, target, column);
  return undefined;
}

function unknownSchema(registry: Registry, lookup: SchemaLookup, schema: Schema, reference: Reference): Diagnostic {
  const missing = reference.schema.value;
  const unreadable = lookup.unreadableFile(registry, missing);
  if (unreadable) return unreadableSchema(schema, reference, unreadable);
  const suggestion = lookup.suggest(missing, () => registry.schemas.keys());
  const folder = schema.file.includes('/') ? schema.file.slice(0, schema.file.lastIndexOf('/') + 1) : '';
  const create = `create ${folder}${missing}.yaml`;
  return makeDiagnostic('unknown-schema', schema.file, reference.schema.range, `Schema "${missing}" does not exist`, {
    hint: suggestion ? `Did you mean "${suggestion}"? Otherwise ${create}.` : `Fix the name, or ${create}.`,
    data: suggestion ? { suggestion, missingSchema: missing } : { missingSchema: missing },
  });
}

/** The schema's file exists but could not be loaded (a syntax error, say): send the reader there, not to create it. */
function unreadableSchema(schema: Schema, reference: Reference, file: LoadedFile): Diagnostic {
  const first = file.diagnostics[0];
  const missing = reference.schema.value;
  return makeDiagnostic(
    'unknown-schema',
    schema.file,
    reference.schema.range,
    `Schema "${missing}" could not be loaded: ${file.file} has errors`,
    {
      hint: `Fix the errors in ${file.file}; this reference is checked once it loads.`,
      ...(first ? { related: [{ file: file.file, range: first.range, message: first.message }] } : {}),
    },
  );
}

function unknownColumn(lookup: SchemaLookup, schema: Schema, reference: Reference, target: Schema): Diagnostic {
  const name = reference.column.value;
  const suggestion = didYouMean(name, lookup.columns(target).keys());
  const primary = target.columns.find((column) => column.primaryKey);
  const fallback = primary ? `Reference the primary key "${primary.name.value}"` : `Add "${name}" to ${target.file}`;
  return makeDiagnostic(
    'unknown-column',
    schema.file,
    reference.column.range,
    `Column "${name}" does not exist in schema "${target.name.value}"`,
    {
      hint: suggestion ? `Did you mean "${suggestion}"?` : `${fallback}.`,
      related: [{ file: target.file, range: target.name.range, message: `Schema "${target.name.value}"` }],
      ...(suggestion ? { data: { suggestion } } : {}),
    },
  );
}

function typeMismatch(
  schema: Schema,
  reference: Reference,
  foreignKey: Column,
  target: Schema,
  column: Column,
): Diagnostic | undefined {
  if (foreignKey.type.value === '' || column.type.value === '') return undefined;
  const wanted = referencingType(column.type.value);
  const actual = normalizeSqlType(foreignKey.type.value).text;
  if (wanted === actual) return undefined;
  const message = `foreign_key "${foreignKey.name.value}" is ${actual} but ${target.name.value}.${column.name.value} is ${normalizeSqlType(column.type.value).text}`;
  return makeDiagnostic('fk-type-mismatch', schema.file, reference.foreignKey.range, message, {
    hint: `Change the type of "${foreignKey.name.value}" to ${wanted}.`,
    related: [
      {
        file: schema.file,
        range: foreignKey.type.range,
        message: `"${foreignKey.name.value}" is declared ${foreignKey.type.value}`,
      },
      {
        file: target.file,
        range: column.type.range,
        message: `${target.name.value}.${column.name.value} is declared ${column.type.value}`,
      },
    ],
  });
}

function notUnique(
  lookup: SchemaLookup,
  schema: Schema,
  reference: Reference,
  target: Schema,
  column: Column,
): Diagnostic {
  const primary = lookup.primaryKeyWidth(target) === 1 ? target.columns.find((c) => c.primaryKey) : undefined;
  const what = column.primaryKey
    ? 'only part of a composite primary key, not unique on its own'
    : 'neither a primary key nor unique';
  const message = `${target.name.value}.${column.name.value} is ${what}, so it cannot be referenced`;
  const hint = column.primaryKey
    ? `Reference a single-column key, or mark "${column.name.value}" unique: true in ${target.file} if it is unique on its own.`
    : primary
      ? `Reference the primary key "${primary.name.value}", or mark "${column.name.value}" unique: true in ${target.file}.`
      : `Mark "${column.name.value}" unique: true (or primary_key: true) in ${target.file}.`;
  return makeDiagnostic('reference-not-unique', schema.file, reference.column.range, message, {
    hint,
    related: [
      {
        file: target.file,
        range: column.name.range,
        message: `${target.name.value}.${column.name.value} is declared here`,
      },
    ],
  });
}
