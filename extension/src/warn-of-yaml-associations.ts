import * as vscode from 'vscode';
import { schemaFolderAssociations } from './yaml-associations.js';
import type { YamlSchemas } from './yaml-associations.js';

const REMOVE = 'Remove from workspace settings';

/**
 * With Red Hat's YAML extension installed, a `yaml.schemas` entry covering the schema folder makes it report
 * structure the Aegis server reports too (each error twice). Says so once per activation and offers to drop
 * the workspace's entries; user settings are only named (they hold other workspaces' associations too).
 */
export function warnOfYamlAssociations(folder: string): void {
  if (!vscode.extensions.getExtension('redhat.vscode-yaml')) return;
  const yaml = vscode.workspace.getConfiguration('yaml');
  const schemas = yaml.inspect<YamlSchemas>('schemas');
  const inWorkspace = schemaFolderAssociations(schemas?.workspaceValue, folder);
  const elsewhere = schemaFolderAssociations(schemas?.globalValue, folder);
  if (inWorkspace.length + elsewhere.length === 0) return;
  const where = inWorkspace.length > 0 ? 'the workspace settings' : 'your user settings';
  const message =
    `"yaml.schemas" in ${where} associates ${folder} with a JSON Schema, so the YAML extension reports ` +
    'structural errors the Aegis language server reports too. Remove the association to see each once.';
  const actions = inWorkspace.length > 0 ? [REMOVE] : [];
  void vscode.window.showWarningMessage(message, ...actions).then(async (chosen) => {
    if (chosen !== REMOVE) return;
    const kept = Object.fromEntries(
      Object.entries(schemas?.workspaceValue ?? {}).filter(([schema]) => !inWorkspace.includes(schema)),
    );
    const value = Object.keys(kept).length > 0 ? kept : undefined;
    await yaml.update('schemas', value, vscode.ConfigurationTarget.Workspace);
  });
}
