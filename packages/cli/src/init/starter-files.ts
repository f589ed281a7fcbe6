import { registryFileJsonSchema, schemaFileJsonSchema } from '@aegis/core';

/** One file `aegis init` scaffolds: where it goes (from the repository root), what it holds and why. */
export interface StarterFile {
  path: string;
  content: string;
  /** What the file is for, as `aegis init` says it. */
  purpose: string;
}

/** The repository that publishes the action, the CLI and the extension. */
export const AEGIS_REPOSITORY = 'aegis-schema-registry/aegis';

const registryYaml = `# Registry metadata: one table schema per file beside this one (<name>.yaml, name equal to the file name).
# Check the folder with \`npx aegis validate\`; a pull request gets the same checks from .github/workflows/aegis.yml.
name: my-registry
description: Table schemas of this repository
version: 0.1.0
`;

const starterSchema = `# A starter table schema: one table per file, the file name equal to \`name\`.
# Every change needs a version bump (a breaking one, such as removing a column, a major bump) and a
# version_history entry. Rename or replace this file with your own tables.
name: accounts
owner: account-service
version: 1.0.0
description: Accounts of the service, the starter table made by aegis init

columns:
  - name: id
    type: UUID
    nullable: false
    primary_key: true
    description: Unique account identifier

  - name: email
    type: VARCHAR(255)
    nullable: false
    unique: true
    description: Where the account is reached

  - name: created_at
    type: TIMESTAMPTZ
    nullable: false
    default: "CURRENT_TIMESTAMP"
    description: When the account was created

references: []

indexes:
  - name: idx_accounts_email
    columns: [email]
    unique: true

version_history:
  - version: 1.0.0
    date: 2024-01-01
    changes: Initial schema
`;

const rbacYaml = `# Who may do what in this registry. The Aegis app reads this file from the default branch only, so a pull
# request cannot grant itself rights; a change to it is validated like a schema (aegis/validate).
# Try a decision locally: npx aegis can <github-login> schema:write accounts --team @your-org/your-team
#
# roles: a name -> the permissions it grants. Permissions are <area>:<action>; "schema:*" means every action.
#   schema:read|write|create|delete      read, change, add or remove schema files
#   branch:lock|unlock|force-unlock      freeze a branch (or some schemas) while an index is built; force-unlock
#                                        releases every lock in an emergency (admins only)
#   index:start|complete                 the indexing service reports a build of the branch's schemas
#   proposal:create|merge                open and merge schema change proposals
#   audit:read                           query the audit trail
roles:
  # Runs the registry: every permission, including /force-unlock.
  admin:
    permissions: ["schema:*", "branch:*", "index:*", "proposal:*", "audit:read"]
  # Changes schemas through pull requests and may freeze a branch while working on it.
  developer:
    permissions: ["schema:read", "schema:write", "schema:create", "branch:lock", "branch:unlock", "proposal:create"]
  # Reads schemas and the audit trail, changes nothing.
  viewer:
    permissions: ["schema:read", "audit:read"]
  # The indexing service (a bot account): locks a branch while it builds an index of its schemas.
  indexer:
    permissions: ["schema:read", "branch:lock", "branch:unlock", "index:start", "index:complete"]

# members: a GitHub login or @org/team -> its roles. Anyone not listed gets a role from their repository
# permission on GitHub: admin -> admin, write -> developer, read -> viewer.
members: {}
#  "@your-org/platform": [admin]
#  "@your-org/developers": [developer]
#  your-indexer[bot]: [indexer]

# owners: an owner service (the \`owner\` of a schema file) -> who may write its schemas besides admins.
# A service with no entry here may be written by every developer.
owners: {}
#  account-service: ["@your-org/accounts-team"]
`;

const workflowYaml = `# Checks every pull request that touches the registry: each schema file and the references between them,
# plus the change against the base branch (breaking changes, version bumps), as annotations on the changed
# lines and a job summary with the diff and its ER diagram. Require the "aegis" check in branch protection.
name: aegis
on:
  pull_request:
    paths:
      - ".kiro/**"
      - ".github/workflows/aegis.yml"

permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          # The diff compares against the merge base with the base branch: it needs the history.
          fetch-depth: 0
      - id: aegis
        uses: ${AEGIS_REPOSITORY}@v1
        with:
          registry: .kiro/schemas
          # error (default): fail on any error; breaking: only on breaking changes; never: report only.
          fail-on: error
          # A PostgreSQL server where the change's SQL is proven on a throwaway database (optional).
          # verify-database-url: \${{ secrets.AEGIS_VERIFY_DATABASE_URL }}
`;

const SCHEMA_JSON = '.kiro/json-schema/schema-file.json';
const REGISTRY_JSON = '.kiro/json-schema/registry-file.json';

// No `yaml.schemas`: the Aegis language server reports structure (the CLI's codes and ranges), and an
// association would make Red Hat's YAML extension report it a second time (docs/editor.md).
const editorSettings = { 'aegis.schemaFolder': '.kiro/schemas' };

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Every file `aegis init` writes, in the order it reports them. */
export function starterFiles(): StarterFile[] {
  return [
    { path: '.kiro/schemas/registry.yaml', content: registryYaml, purpose: 'registry metadata' },
    { path: '.kiro/schemas/accounts.yaml', content: starterSchema, purpose: 'a starter table schema' },
    { path: '.kiro/rbac.yaml', content: rbacYaml, purpose: 'roles, members and owners, explained' },
    { path: '.github/workflows/aegis.yml', content: workflowYaml, purpose: 'the pull-request check (GitHub Action)' },
    { path: SCHEMA_JSON, content: json(schemaFileJsonSchema), purpose: 'JSON Schema of a schema file (other tools)' },
    {
      path: REGISTRY_JSON,
      content: json(registryFileJsonSchema),
      purpose: 'JSON Schema of registry.yaml (other tools)',
    },
    { path: '.vscode/settings.json', content: json(editorSettings), purpose: 'editor: the schema folder' },
    {
      path: '.vscode/extensions.json',
      content: json({ recommendations: ['aegis.aegis-schema-registry'] }),
      purpose: 'editor: recommended extension',
    },
  ];
}
