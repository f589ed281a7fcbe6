import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaFolderAssociations } from '../../extension/src/yaml-associations.js';
import { LspTestClient } from '../lsp/lsp-test-client.js';
import { readZip } from '../lsp/read-zip.js';
import { Adopter, mustRun, WORKSPACE } from './adopter.js';

interface ExtensionManifest {
  repository: { url: string };
  icon: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    yamlValidation?: unknown;
  };
}

const BROKEN = `name: invoices
owner: billing-service
version: 1.0.0
columns:
  - { name: id, type: UUID, nullable: false, primary_key: true }
  - { name: account_id, type: UUID, nullable: false }
references:
  - { schema: acounts, column: id, foreign_key: account_id }
`;

// The .vsix the release publishes, as a user's VS Code unpacks it: what it holds, and its server started
// with plain node on schemas in subfolders, as .yml, and in a moved schema folder.
describe('the packaged VS Code extension', () => {
  let adopter: Adopter;
  let root = '';
  let manifest: ExtensionManifest;

  beforeAll(async () => {
    adopter = await Adopter.create();
    const vsix = (
      await mustRun(process.execPath, ['scripts/package-extension.mjs', '--out', adopter.home], WORKSPACE)
    ).trim();
    for (const [name, content] of readZip(await readFile(vsix))) {
      if (name.endsWith('/')) continue;
      await mkdir(path.dirname(adopter.dir('vsix', name)), { recursive: true });
      await writeFile(adopter.dir('vsix', name), content);
    }
    root = adopter.dir('vsix', 'extension');
    manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as ExtensionManifest;
  }, 180_000);
  afterAll(() => adopter.cleanup());

  it('is publishable: the repository of the app manifest, an icon, a changelog and the notices of what it bundles', async () => {
    const app = parse(await readFile(path.join(WORKSPACE, 'packages/bot/app.yml'), 'utf8')) as { url: string };
    expect(manifest.repository.url).toBe(`${app.url}.git`);
    const icon = await readFile(path.join(root, manifest.icon));
    expect(icon.subarray(1, 4).toString()).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
    expect(await readFile(path.join(root, 'changelog.md'), 'utf8')).toMatch(/^## \d+\.\d+\.\d+$/m);
    const notices = await readFile(path.join(root, 'ThirdPartyNotices.txt'), 'utf8');
    for (const bundled of ['vscode-languageclient', 'vscode-languageserver', 'yaml', 'mermaid', 'd3'])
      expect(notices).toMatch(new RegExp(`^${bundled}@\\d+\\.\\d+\\.\\d+ — `, 'm'));
  });

  it('declares categories, the restart command, Restricted Mode, and .yml and subfolder activation', () => {
    const commands = manifest.contributes.commands;
    expect(commands.map((c) => c.command)).toContain('aegis.restartServer');
    expect(commands.find((c) => c.command === 'aegis.restartServer')?.title).toBe('Restart Language Server');
    expect(new Set(commands.map((c) => c.category))).toEqual(new Set(['Aegis']));
    expect(manifest.capabilities.untrustedWorkspaces).toMatchObject({
      supported: 'limited',
      restrictedConfigurations: ['aegis.schemaFolder'],
    });
    expect(manifest.activationEvents).toEqual(
      expect.arrayContaining(['workspaceContains:.kiro/schemas/**/*.yml', 'onLanguage:yaml']),
    );
    // The language server alone reports structure: the YAML extension gets no JSON Schema (docs/editor.md).
    expect(manifest.contributes.yamlValidation).toBeUndefined();
  });

  it('finds the yaml.schemas associations that would make the YAML extension report structure twice', () => {
    const init = {
      './.kiro/json-schema/schema-file.json': ['.kiro/schemas/**/*.yaml', '!.kiro/schemas/**/registry.yaml'],
      './.kiro/json-schema/registry-file.json': ['.kiro/schemas/registry.yaml'],
      'https://json.schemastore.org/github-workflow.json': '.github/workflows/*.yml',
      './all.json': '**/*.yaml',
      './also-all.json': ['*.{yaml,yml}'],
      './json-files.json': ['**/*.json'],
      './moved.json': ['./db/tables/billing/*.yml'],
      './excluded.json': ['!.kiro/schemas/**'],
    };
    expect(schemaFolderAssociations(init, './.kiro/schemas/')).toEqual([
      './.kiro/json-schema/schema-file.json',
      './.kiro/json-schema/registry-file.json',
      './all.json',
      './also-all.json',
    ]);
    expect(schemaFolderAssociations(init, 'db/tables')).toEqual(['./all.json', './also-all.json', './moved.json']);
    expect(schemaFolderAssociations(undefined, '.kiro/schemas')).toEqual([]);
  });

  for (const [label, folder, file] of [
    ['a .yml schema in a subfolder', undefined, '.kiro/schemas/billing/invoices.yml'],
    ['a moved aegis.schemaFolder', 'db/tables', 'db/tables/invoices.yaml'],
  ] as const) {
    it(`its server, started with plain node, checks ${label}`, async () => {
      const ws = adopter.dir(`ws-${folder ? 'moved' : 'default'}`);
      await mkdir(path.dirname(path.join(ws, file)), { recursive: true });
      await writeFile(path.join(ws, file), BROKEN);
      const client = LspTestClient.start({
        command: process.execPath,
        args: [path.join(root, 'dist/server.cjs'), '--stdio'],
        cwd: ws,
      });
      try {
        await client.initialize(ws, folder ? { schemaFolder: folder } : undefined);
        const uri = pathToFileURL(path.join(ws, file)).href;
        const diagnostics = await client.waitFor(uri, (list) => list.length > 0);
        expect(diagnostics.map((d) => d.code)).toContain('unknown-schema');
      } finally {
        await client.stop();
      }
    });
  }
});
