import type { ErrorObject } from 'ajv';
import { didYouMean } from '../did-you-mean.js';
import { FK_ACTIONS } from '../model.js';
import { schemaFileJsonSchema } from './schema-file-json-schema.js';

/** What a JSON Schema violation says, in the words of a schema file. */
export interface ViolationText {
  message: string;
  hint: string;
  suggestion?: string;
}

const defs = schemaFileJsonSchema.definitions;
/** Fields allowed in each kind of mapping, by the array that holds it (root for the file itself). */
const ALLOWED_FIELDS: Record<string, readonly string[]> = {
  root: Object.keys(schemaFileJsonSchema.properties),
  columns: Object.keys(defs.column.properties),
  references: Object.keys(defs.reference.properties),
  indexes: Object.keys(defs.index.properties),
  version_history: Object.keys(defs.versionHistoryEntry.properties),
};
const EXAMPLES: Record<string, string> = {
  name: 'name: users',
  owner: 'owner: user-service',
  version: 'version: 1.0.0',
  columns: 'columns: with at least one `- name: id` / `type: UUID` item',
  type: 'type: UUID',
  schema: 'schema: users',
  column: 'column: id',
  foreign_key: 'foreign_key: user_id',
};

/** Turns one ajv error into a message naming the field and where it is, and a hint saying what to do. */
export function violationText(error: ErrorObject, data: unknown, metadata: boolean): ViolationText {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/');
  const where = describeLocation(segments, data, metadata);
  const field = segments.at(-1) ?? 'the file';
  const value = valueAt(data, segments);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const example = EXAMPLES[missing];
      return {
        message: `${capitalize(where)} is missing the required field "${missing}"`,
        hint: `Add ${example ? `\`${example}\`` : `"${missing}"`}.`,
      };
    }
    case 'additionalProperties':
      return unknownField(String(params.additionalProperty), where, segments, metadata);
    case 'type': {
      const subject = segments.length === 0 || /^\d+$/.test(field) ? capitalize(where) : `"${field}" in ${where}`;
      return {
        message: `${subject} must be ${article(String(params.type))}, not ${describeValue(value)}`,
        hint: typeHint(String(params.type), field),
      };
    }
    case 'enum': {
      const suggestion = didYouMean(String(value), FK_ACTIONS);
      return withSuggestion(
        {
          message: `"${String(value)}" is not a foreign-key action (${field} in ${where})`,
          hint: `Use one of ${FK_ACTIONS.join(', ')}.`,
        },
        suggestion,
      );
    }
    case 'pattern':
      return patternText(error.schemaPath, String(value), field, where);
    case 'minItems':
      return {
        message: `"${field}" in ${where} is empty`,
        hint: field === 'columns' ? 'Add at least one column.' : 'List at least one column.',
      };
    default:
      return {
        message: `"${field}" in ${where} ${error.message ?? 'is invalid'}`,
        hint: 'Fix the value to match the schema file format.',
      };
  }
}

function unknownField(name: string, where: string, segments: string[], metadata: boolean): ViolationText {
  const allowed = metadata
    ? ['name', 'description', 'version']
    : (ALLOWED_FIELDS[segments.length === 0 ? 'root' : (segments.at(-2) ?? 'root')] ?? []);
  const suggestion = didYouMean(name, allowed);
  const text = {
    message: `Unknown field "${name}" in ${where}`,
    hint: `Remove it or rename it; allowed fields: ${allowed.join(', ')}.`,
  };
  return withSuggestion(text, suggestion);
}

function patternText(schemaPath: string, value: string, field: string, where: string): ViolationText {
  if (field === 'date')
    return { message: `"${value}" in ${where} is not a date`, hint: 'Write the date as YYYY-MM-DD, e.g. 2024-03-01.' };
  if (field === 'owner' || (field === 'name' && where === 'registry.yaml'))
    return {
      message: `"${field}" in ${where} is empty`,
      hint: field === 'owner' ? 'Name the owning service, e.g. user-service.' : 'Write a value.',
    };
  if (schemaPath.includes('semver') || field === 'version')
    return {
      message: `"${value}" is not a semantic version (${field} in ${where})`,
      hint: 'Write MAJOR.MINOR.PATCH, e.g. 1.2.0.',
    };
  if (schemaPath.includes('sqlType'))
    return {
      message: `"${value}" is not a SQL type (column ${where})`,
      hint: 'Write a SQL type such as UUID, VARCHAR(255), DECIMAL(15,2), TIMESTAMPTZ or JSONB.',
    };
  const kind = where.startsWith('the schema') ? 'Schema' : capitalize(where.split(' ')[0] ?? '');
  const subject = field === 'name' ? `${kind} name "${value}"` : `"${value}" (${field} in ${where})`;
  const fixed = value
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63);
  const text = {
    message: `${subject} is not ${field === 'name' ? 'valid' : 'a valid name'}`,
    hint: 'Use lowercase letters, digits and underscores, starting with a letter, at most 63 characters.',
  };
  return withSuggestion(text, fixed.length > 0 && fixed !== value ? fixed : undefined);
}

function withSuggestion(text: ViolationText, suggestion: string | undefined): ViolationText {
  return suggestion === undefined ? text : { ...text, hint: `Did you mean "${suggestion}"? ${text.hint}`, suggestion };
}

function describeLocation(segments: string[], data: unknown, metadata: boolean): string {
  const file = metadata ? 'registry.yaml' : 'the schema';
  const [list, index] = segments;
  if (list === undefined || index === undefined || !/^\d+$/.test(index)) return file;
  const position = Number(index) + 1;
  const name = valueAt(data, [list, index, list === 'references' ? 'foreign_key' : 'name']);
  const label = typeof name === 'string' ? ` "${name}"` : ` #${position}`;
  if (list === 'columns') return `column${label}`;
  if (list === 'references') return `reference${label}`;
  if (list === 'indexes') return `index${label}`;
  if (list === 'version_history') return `version_history entry #${position}`;
  return file;
}

function valueAt(data: unknown, segments: string[]): unknown {
  let value = data;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function typeHint(type: string, field: string): string {
  if (type === 'boolean') return 'Write true or false, without quotes.';
  if (type === 'string' && (field === 'version' || field === 'date'))
    return `Quote it so YAML keeps it as text: ${field}: "…".`;
  if (type === 'string') return 'Write text; quote it if YAML reads it as a number, boolean or null.';
  if (type === 'array') return 'Write a list: one `- item` per line, or [a, b].';
  if (type === 'object') return 'Write `key: value` fields here.';
  return `Write ${article(type)}.`;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'text',
    boolean: 'a boolean',
    array: 'a list',
    object: 'a mapping',
    number: 'a number',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
