import type { Column, Reference, Registry, Schema } from '../model.js';
import { SchemaLookup } from '../checks/schema-lookup.js';
import { byName } from '../graph/graph.js';
import { neighbourhood } from './neighbourhood.js';
import { mermaidName, mermaidText, mermaidType } from './mermaid-names.js';

/** What to draw: the whole registry, or one schema and its neighbours up to `depth` references away. */
export interface ErdOptions {
  focus?: string;
  /** How many references away from the focus to include, in both directions (default 1). */
  depth?: number;
}

/**
 * A Mermaid `erDiagram` of the registry (or of one schema's neighbourhood): every table with its columns
 * and PK/FK/UK markers, every foreign key as a relationship labelled with its column, cardinality from
 * the key's nullability and uniqueness. Deterministic: tables by name, relationships in file order.
 */
export function renderErd(registry: Registry, options: ErdOptions = {}): string {
  if (options.focus !== undefined && !registry.schemas.has(options.focus)) {
    return `erDiagram\n    %% schema "${mermaidText(options.focus)}" is not in the registry\n`;
  }
  const names =
    options.focus === undefined
      ? [...registry.schemas.keys()]
      : [...neighbourhood(registry, options.focus, options.depth ?? 1)];
  const shown = names.sort(byName).map((name) => registry.schemas.get(name) as Schema);
  const included = new Set(names);
  const lookup = new SchemaLookup();
  const lines = ['erDiagram'];
  for (const schema of shown) lines.push(...entity(schema, lookup));
  for (const schema of shown) {
    for (const reference of schema.references) {
      const line = relationship(registry, lookup, schema, reference, included);
      if (line) lines.push(line);
    }
  }
  return `${lines.join('\n')}\n`;
}

function entity(schema: Schema, lookup: SchemaLookup): string[] {
  const foreignKeys = new Set(schema.references.map((reference) => reference.foreignKey.value));
  const attributes = schema.columns.map((column) => `        ${attribute(schema, column, foreignKeys, lookup)}`);
  return attributes.length === 0
    ? [`    ${mermaidName(schema.name.value)} {`, '    }']
    : [`    ${mermaidName(schema.name.value)} {`, ...attributes, '    }'];
}

function attribute(schema: Schema, column: Column, foreignKeys: Set<string>, lookup: SchemaLookup): string {
  const keys: string[] = [];
  if (column.primaryKey) keys.push('PK');
  if (foreignKeys.has(column.name.value)) keys.push('FK');
  if (!column.primaryKey && lookup.isUnique(schema, column)) keys.push('UK');
  const { type, full } = mermaidType(column.type.value);
  const parts = [type, mermaidName(column.name.value)];
  if (keys.length > 0) parts.push(keys.join(', '));
  if (full !== undefined) parts.push(`"${mermaidText(full)}"`);
  return parts.join(' ');
}

/**
 * `parent <one>--<many> child : "fk"`. Parent side: exactly one (`||`) for a NOT NULL key, zero or one
 * (`|o`) for a nullable one. Child side: zero or many (`o{`), or zero or one (`o|`) when the key is unique.
 */
function relationship(
  registry: Registry,
  lookup: SchemaLookup,
  child: Schema,
  reference: Reference,
  included: Set<string>,
): string | undefined {
  const parent = registry.schemas.get(reference.schema.value);
  if (!parent || !included.has(parent.name.value)) return undefined;
  const key = lookup.columns(child).get(reference.foreignKey.value);
  const parentSide = key && !key.nullable ? '||' : '|o';
  const childSide = key && lookup.isUnique(child, key) ? 'o|' : 'o{';
  return `    ${mermaidName(parent.name.value)} ${parentSide}--${childSide} ${mermaidName(child.name.value)} : "${mermaidText(reference.foreignKey.value)}"`;
}
