import { dependentsOf } from '@aegis/core';
import type { Column, Schema } from '@aegis/core';
import type { Hover, Position } from 'vscode-languageserver';
import { symbolAt } from '../symbol-at.js';
import type { Workspace } from '../workspace.js';

const MAX_LISTED = 20;

function list(items: string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}

function schemaHover(workspace: Workspace, schema: Schema): string {
  const name = schema.name.value;
  const lines = [`**${name}** (schema)${schema.description ? ` — ${schema.description}` : ''}`, ''];
  const facts = [
    `owner \`${schema.owner?.value ?? '?'}\``,
    `version ${schema.version?.value ?? '?'}`,
    `${schema.columns.length} columns`,
  ];
  lines.push(facts.join(' · '));
  const dependents = dependentsOf(workspace.registry, name);
  const direct = dependents.schemas.filter((d) => d.direct).map((d) => d.name);
  const indirect = dependents.schemas.filter((d) => !d.direct).map((d) => d.name);
  lines.push('', direct.length > 0 ? `Referenced by: ${list(direct)}` : 'Referenced by no schema.');
  if (indirect.length > 0) lines.push('', `Indirectly: ${list(indirect)}`);
  if (dependents.services.length > 0) lines.push('', `Owner services depending on it: ${list(dependents.services)}`);
  return lines.join('\n');
}

function columnHover(workspace: Workspace, schema: Schema, column: Column): string {
  const name = schema.name.value;
  const flags = [column.nullable ? 'NULL' : 'NOT NULL'];
  if (column.primaryKey) flags.push('PRIMARY KEY');
  if (column.unique) flags.push('UNIQUE');
  if (column.default !== undefined) flags.push(`DEFAULT ${column.default}`);
  const lines = [`**${name}.${column.name.value}** \`${column.type.value}\` ${flags.join(' · ')}`];
  if (column.description) lines.push('', column.description);
  lines.push('', `Schema \`${name}\`, owner \`${schema.owner?.value ?? '?'}\``);
  const users: string[] = [];
  for (const file of workspace.referrersOf(name).sort()) {
    const referrer = workspace.schemaOf(file);
    for (const ref of referrer?.references ?? []) {
      if (ref.schema.value === name && ref.column.value === column.name.value) {
        users.push(`${referrer?.name.value ?? file}.${ref.foreignKey.value}`);
      }
    }
  }
  lines.push('', users.length > 0 ? `Referenced by: ${list(users)}` : 'Referenced by no foreign key.');
  return lines.join('\n');
}

/** Hover: a schema's description, owner, version and dependents; a column's type, flags and referrers. */
export function hover(workspace: Workspace, file: string, position: Position): Hover | undefined {
  const here = workspace.schemaOf(file);
  const target = here && symbolAt(here, position);
  if (!target) return undefined;
  const schema = workspace.schemaNamed(target.schema);
  if (!schema)
    return { contents: { kind: 'markdown', value: `Unknown schema \`${target.schema}\`` }, range: target.range };
  let value: string;
  if (target.kind === 'schema') value = schemaHover(workspace, schema);
  else {
    const column = schema.columns.find((c) => c.name.value === target.column);
    value = column ? columnHover(workspace, schema, column) : `Unknown column \`${target.schema}.${target.column}\``;
  }
  return { contents: { kind: 'markdown', value }, range: target.range };
}
