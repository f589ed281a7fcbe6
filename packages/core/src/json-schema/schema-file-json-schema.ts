// A calendar date, YYYY-MM-DD (month 01-12, day 01-31). A pattern rather than `format: date`, so the
// generated validator needs no runtime library.
const DATE_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';

// Semantic versioning 2.0.0, as semver.org gives it.
const SEMVER_PATTERN =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$';

/**
 * The JSON Schema of a schema file (`.kiro/schemas/<name>.yaml`, SPEC §3). This object is the source;
 * `packages/core/schema/schema-file.json` is written from it (`npx tsx packages/core/src/test-support/write-json-schema.ts`)
 * and a test keeps the two identical, so YAML editors and ajv see the same rules.
 */
export const schemaFileJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://aegis.dev/schemas/schema-file.json',
  title: 'Aegis schema file',
  description: 'One database table of the Aegis schema registry (.kiro/schemas/<name>.yaml).',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'owner', 'version', 'columns'],
  properties: {
    name: { $ref: '#/definitions/identifier', description: 'Table name; equals the file name without .yaml.' },
    owner: { type: 'string', pattern: '\\S', description: 'The owning service (RBAC ownership key).' },
    version: { $ref: '#/definitions/semver' },
    description: { type: 'string' },
    renamed_from: {
      $ref: '#/definitions/identifier',
      description:
        'The name this table had in the base: the migration renames it (keeping its rows) instead of dropping one table and creating another.',
    },
    columns: { type: 'array', minItems: 1, items: { $ref: '#/definitions/column' } },
    references: { type: 'array', items: { $ref: '#/definitions/reference' } },
    indexes: { type: 'array', items: { $ref: '#/definitions/index' } },
    version_history: { type: 'array', items: { $ref: '#/definitions/versionHistoryEntry' } },
  },
  definitions: {
    identifier: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_]{0,62}$',
      description: 'Lowercase letters, digits and underscores, starting with a letter; at most 63 characters.',
    },
    semver: {
      type: 'string',
      pattern: SEMVER_PATTERN,
      description: 'Semantic version MAJOR.MINOR.PATCH.',
    },
    sqlType: {
      type: 'string',
      pattern:
        '^[A-Za-z][A-Za-z0-9_]*(?: [A-Za-z][A-Za-z0-9_]*)*\\s*(?:\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*)?\\))?(?: [A-Za-z][A-Za-z0-9_ ]*)?(?:\\[\\])?$',
      description: 'A SQL type: UUID, VARCHAR(255), DECIMAL(15,2), TIMESTAMPTZ, …',
    },
    fkAction: { type: 'string', enum: ['CASCADE', 'RESTRICT', 'SET NULL', 'SET DEFAULT', 'NO ACTION'] },
    column: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'type'],
      properties: {
        name: { $ref: '#/definitions/identifier' },
        type: { $ref: '#/definitions/sqlType' },
        nullable: { type: 'boolean' },
        primary_key: { type: 'boolean' },
        unique: { type: 'boolean' },
        default: { type: ['string', 'number', 'boolean'], description: 'A SQL expression, e.g. "CURRENT_TIMESTAMP".' },
        description: { type: 'string' },
        renamed_from: {
          $ref: '#/definitions/identifier',
          description:
            'The name this column had in the base: the migration renames it (keeping its data) instead of dropping one column and adding another.',
        },
      },
    },
    reference: {
      type: 'object',
      additionalProperties: false,
      required: ['schema', 'column', 'foreign_key'],
      properties: {
        schema: { $ref: '#/definitions/identifier', description: 'The referenced schema.' },
        column: { $ref: '#/definitions/identifier', description: 'The referenced column of that schema.' },
        foreign_key: { $ref: '#/definitions/identifier', description: 'The column of this schema holding the key.' },
        on_delete: { $ref: '#/definitions/fkAction' },
        on_update: { $ref: '#/definitions/fkAction' },
        description: { type: 'string' },
      },
    },
    index: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'columns'],
      properties: {
        name: { $ref: '#/definitions/identifier' },
        columns: { type: 'array', minItems: 1, items: { $ref: '#/definitions/identifier' } },
        unique: { type: 'boolean' },
        description: { type: 'string' },
      },
    },
    versionHistoryEntry: {
      type: 'object',
      additionalProperties: false,
      required: ['version'],
      properties: {
        version: { $ref: '#/definitions/semver' },
        date: { type: 'string', pattern: DATE_PATTERN, description: 'YYYY-MM-DD' },
        changes: { type: 'string' },
      },
    },
  },
} as const;

/**
 * The JSON Schema of `registry.yaml` (registry metadata). Kept beside the schema-file schema and shipped as
 * `packages/core/schema/registry-file.json`.
 */
export const registryFileJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://aegis.dev/schemas/registry-file.json',
  title: 'Aegis registry metadata',
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '\\S' },
    description: { type: 'string' },
    version: { type: 'string', pattern: SEMVER_PATTERN, description: 'Semantic version MAJOR.MINOR.PATCH.' },
  },
} as const;
