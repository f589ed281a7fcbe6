import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDiagnostics, diffRegistries } from '@aegis/core';
import { changedSchemaFiles, loadRegistryAtRef } from '@aegis/git';
import { createGitRepo, type GitRepo } from '../helpers/git-repo.js';

const USERS = `name: users
owner: user-service
version: 1.0.0
columns:
  - name: id
    type: UUID
    nullable: false
    primary_key: true
  - name: email
    type: VARCHAR(255)
    nullable: false
  - name: score
    type: DECIMAL(15,2)
    nullable: true
`;
const ORDERS = `name: orders
owner: order-service
version: 1.0.0
columns:
  - name: id
    type: UUID
    nullable: false
    primary_key: true
  - name: user_id
    type: UUID
    nullable: false
references:
  - schema: users
    column: id
    foreign_key: user_id
    on_delete: RESTRICT
`;

/** One commit per change on a feature branch; each step says what the diff against its parent must find. */
const STEPS: { message: string; edit: (files: Map<string, string>) => void; expect: string[] }[] = [
  {
    message: 'narrow email',
    edit: (f) => bump(f, 'users', '2.0.0', (t) => t.replace('VARCHAR(255)', 'VARCHAR(100)')),
    expect: ['breaking column-type-changed users.email'],
  },
  {
    message: 'widen email back',
    edit: (f) => bump(f, 'users', '2.1.0', (t) => t.replace('VARCHAR(100)', 'VARCHAR(255)')),
    expect: ['compatible column-type-changed users.email'],
  },
  {
    message: 'narrow score',
    edit: (f) => bump(f, 'users', '3.0.0', (t) => t.replace('DECIMAL(15,2)', 'DECIMAL(10,2)')),
    expect: ['breaking column-type-changed users.score'],
  },
  {
    message: 'score not null',
    edit: (f) =>
      bump(f, 'users', '4.0.0', (t) =>
        t.replace('DECIMAL(10,2)\n    nullable: true', 'DECIMAL(10,2)\n    nullable: false'),
      ),
    expect: ['breaking column-nullability-changed users.score'],
  },
  {
    message: 'email unique',
    edit: (f) =>
      bump(f, 'users', '5.0.0', (t) =>
        t.replace('VARCHAR(255)\n    nullable: false', 'VARCHAR(255)\n    nullable: false\n    unique: true'),
      ),
    expect: ['breaking column-unique-changed users.email'],
  },
  {
    message: 'fk action',
    edit: (f) => bump(f, 'orders', '2.0.0', (t) => t.replace('on_delete: RESTRICT', 'on_delete: CASCADE')),
    expect: ['breaking reference-changed orders.user_id'],
  },
  {
    message: 'add nullable column',
    edit: (f) =>
      bump(f, 'orders', '2.0.1', (t) =>
        t.replace('references:', '  - name: note\n    type: TEXT\n    nullable: true\nreferences:'),
      ),
    expect: ['compatible column-added orders.note'],
  },
  {
    message: 'remove column',
    edit: (f) =>
      bump(f, 'orders', '3.0.0', (t) => t.replace('  - name: note\n    type: TEXT\n    nullable: true\n', '')),
    expect: ['breaking column-removed orders.note'],
  },
  {
    message: 'move file (no change)',
    edit: (f) => move(f, '.kiro/schemas/orders.yaml', '.kiro/schemas/sales/orders.yaml'),
    expect: [],
  },
];

const files = new Map<string, string>();
function bump(f: Map<string, string>, name: string, version: string, change: (text: string) => string): void {
  const path = [...f.keys()].find((p) => p.endsWith(`/${name}.yaml`)) ?? '';
  f.set(path, change(f.get(path) ?? '').replace(/^version: .*$/m, `version: ${version}`));
}
function move(f: Map<string, string>, from: string, to: string): void {
  f.set(to, f.get(from) ?? '');
  f.delete(from);
}

describe('classification on real commits, one change per commit', () => {
  let repo: GitRepo;
  const shas: string[] = [];
  beforeAll(async () => {
    files.set('.kiro/schemas/users.yaml', USERS).set('.kiro/schemas/orders.yaml', ORDERS);
    repo = await createGitRepo({ files: Object.fromEntries(files) });
    await repo.branch('feature');
    for (const step of STEPS) {
      const before = new Set(files.keys());
      step.edit(files);
      for (const gone of [...before].filter((p) => !files.has(p))) await repo.remove(gone);
      shas.push(await repo.commit(step.message, Object.fromEntries(files)));
    }
    await repo.checkout('main');
    await repo.commit('main: unrelated', { 'README.md': 'x\n' });
    await repo.merge('feature');
  });
  afterAll(async () => repo.cleanup());

  it.each(STEPS.map((step, i) => [step.message, i] as const))('%s', async (_message, i) => {
    const [base, head] = await Promise.all([
      loadRegistryAtRef(repo.dir, `${shas[i] ?? ''}~1`),
      loadRegistryAtRef(repo.dir, shas[i] ?? ''),
    ]);
    const diff = diffRegistries(base.registry, head.registry);
    expect(
      diff.changes.map((c) => `${c.breaking ? 'breaking' : 'compatible'} ${c.kind} ${c.schema}.${c.subject ?? ''}`),
    ).toEqual(STEPS[i]?.expect);
    // Every step bumped its version enough, so the only findings are the breaking changes themselves.
    const codes = [...diffDiagnostics(base.registry, head.registry, diff).values()].flat().map((d) => d.code);
    expect(codes.every((c) => c === 'breaking-change')).toBe(true);
  });

  it('the merge brings exactly the branch changes (against its first parent), the move shown as a rename', async () => {
    const [base, head] = await Promise.all([
      loadRegistryAtRef(repo.dir, 'main^1'),
      loadRegistryAtRef(repo.dir, 'main'),
    ]);
    const diff = diffRegistries(base.registry, head.registry);
    expect(
      diff.schemas
        .filter((s) => s.status !== 'unchanged')
        .map((s) => `${s.name} ${s.base?.version?.value} → ${s.head?.version?.value}`),
    ).toEqual(['orders 1.0.0 → 3.0.0', 'users 1.0.0 → 5.0.0']);
    expect(diff.schemas.find((s) => s.name === 'orders')?.movedFrom).toBe('.kiro/schemas/orders.yaml');
    const files = await changedSchemaFiles(repo.dir, 'main^1', 'main');
    expect(files.map((f) => `${f.status} ${f.oldPath ?? ''}${f.oldPath ? ' → ' : ''}${f.path}`)).toEqual([
      'renamed .kiro/schemas/orders.yaml → .kiro/schemas/sales/orders.yaml',
      'modified .kiro/schemas/users.yaml',
    ]);
  });
});
