import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { describe, expect, test } from 'vitest';
import { APPS, ORDERS, ORDERS_FILE, USERS, codes, none } from './lsp-fixtures.js';
import { at, rangeOf } from './text-position.js';
import { useLspWorkspace } from './use-lsp-workspace.js';

const start = useLspWorkspace();

describe('diagnostics over stdio', () => {
  test('files that are not open are scanned at start: an unknown schema with its exact range and did-you-mean', async () => {
    const w = await start();
    expect(w.client.latest.get(w.uri(APPS))).toBeUndefined();
    const found = await w.client.waitFor(w.uri(ORDERS_FILE), (d) => d.length > 0);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      code: 'unknown-schema',
      source: 'aegis',
      severity: 1,
      range: rangeOf(ORDERS, 'schema: user', 'user'),
      data: { suggestion: 'users' },
    });
    expect(found[0]?.message).toContain('users');
  });

  test('editing users.yaml updates every file referencing it, and the fix clears them all', async () => {
    const w = await start();
    const users = w.text(USERS);
    const apps = w.text(APPS);
    await w.client.open(w.uri(USERS), users);
    const broken = users.replace('  - name: id\n', '  - name: uid\n');
    const appsBroken = w.client.nextDiagnostics(w.uri(APPS), (d) => d.length > 0);
    const policiesBroken = w.client.nextDiagnostics(w.uri('.kiro/schemas/policies.yaml'), (d) => d.length > 0);
    const auditBroken = w.client.nextDiagnostics(w.uri('.kiro/schemas/audit_logs.yaml'), (d) => d.length > 0);
    await w.client.change(w.uri(USERS), 2, broken);
    const appsDiagnostics = (await appsBroken).diagnostics;
    expect(codes(appsDiagnostics)).toEqual(['unknown-column', 'unknown-column']);
    expect(appsDiagnostics.map((d) => d.range)).toEqual([
      rangeOf(apps, 'column: id', 'id', 0),
      rangeOf(apps, 'column: id', 'id', 2),
    ]);
    const policies = w.text('.kiro/schemas/policies.yaml');
    expect((await policiesBroken).diagnostics.map((d) => d.range)).toEqual([rangeOf(policies, 'column: id', 'id')]);
    expect(codes((await auditBroken).diagnostics)).toEqual(['unknown-column']);

    const cleared = w.client.nextDiagnostics(w.uri(APPS), none);
    const auditCleared = w.client.nextDiagnostics(w.uri('.kiro/schemas/audit_logs.yaml'), none);
    await w.client.change(w.uri(USERS), 3, users);
    expect((await cleared).diagnostics).toEqual([]);
    expect((await auditCleared).diagnostics).toEqual([]);
  });

  test('watched-file events: a schema created on disk clears its referrer, deleting it brings the error back', async () => {
    const w = await start();
    const orders = w.uri(ORDERS_FILE);
    await w.client.waitFor(orders, (d) => d.length > 0);
    await w.write('.kiro/schemas/user.yaml', w.text(USERS).replace('name: users', 'name: user'));
    const cleared = w.client.nextDiagnostics(orders, none);
    await w.client.watched([{ uri: w.uri('.kiro/schemas/user.yaml'), type: 1 }]);
    await cleared;
    await w.remove('.kiro/schemas/user.yaml');
    const back = w.client.nextDiagnostics(orders, (d) => d.length > 0);
    await w.client.watched([{ uri: w.uri('.kiro/schemas/user.yaml'), type: 3 }]);
    expect(codes((await back).diagnostics)).toEqual(['unknown-schema']);
  });

  test('deleting a folder (one watched-file event for the folder) drops the schemas that were inside it', async () => {
    const w = await start();
    const orders = w.uri(ORDERS_FILE);
    await w.client.waitFor(orders, (d) => d.length > 0);
    await w.write('.kiro/schemas/more/user.yaml', w.text(USERS).replace('name: users', 'name: user'));
    const cleared = w.client.nextDiagnostics(orders, none);
    await w.client.watched([{ uri: w.uri('.kiro/schemas/more/user.yaml'), type: 1 }]);
    await cleared;
    await rm(path.join(w.dir, '.kiro/schemas/more'), { recursive: true });
    const back = w.client.nextDiagnostics(orders, (d) => d.length > 0);
    await w.client.watched([{ uri: w.uri('.kiro/schemas/more'), type: 3 }]);
    expect(codes((await back).diagnostics)).toEqual(['unknown-schema']);
  });

  test('an alias bomb is reported as yaml-limit at its range and the server keeps answering', async () => {
    const w = await start();
    const uri = w.uri(ORDERS_FILE);
    const levels = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghi'.split('').map(
        (k, i) =>
          `${k}: &${k} [${Array(10)
            .fill(`*${'abcdefghi'[i] ?? ''}`)
            .join(', ')}]`,
      ),
    ];
    const bomb = `${ORDERS}${levels.join('\n')}\n`;
    const limited = w.client.nextDiagnostics(uri, (d) => codes(d).includes('yaml-limit'));
    await w.client.open(uri, bomb);
    const found = (await limited).diagnostics.find((d) => d.code === 'yaml-limit');
    expect(found?.range.start.line).toBeGreaterThanOrEqual(at(bomb, 'a: &a').line);
    const symbols = await w.client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: w.uri(USERS) },
    });
    expect(symbols[0]?.name).toBe('users');
  });

  test('a duplicate schema marks both files; closing the editor brings back the disk text and clears them', async () => {
    const w = await start();
    const copy = w.uri('.kiro/schemas/orders.yaml');
    const dup = w.client.nextDiagnostics(w.uri(USERS), (d) => codes(d).includes('duplicate-schema'));
    await w.client.open(copy, ORDERS.replace('name: orders', 'name: users'));
    expect((await dup).diagnostics.find((d) => d.code === 'duplicate-schema')?.range).toEqual(
      rangeOf(w.text(USERS), 'name: users', 'users'),
    );
    const clean = w.client.nextDiagnostics(w.uri(USERS), none);
    await w.client.close(copy);
    await clean;
  });
});
