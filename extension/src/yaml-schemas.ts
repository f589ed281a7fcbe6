import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { schemaKindFor } from './schema-kind-for.js';

/** The slice of the YAML extension's (redhat.vscode-yaml) API used here. */
interface YamlExtensionApi {
  registerContributor(
    schema: string,
    requestSchema: (resource: string) => string | undefined,
    requestSchemaContent: (uri: string) => Promise<string> | string,
  ): boolean;
}

/**
 * Associates the JSON Schemas with the files of a changed `aegis.schemaFolder` through the YAML extension,
 * when it is installed; `folder` is read on every request, so a changed setting applies at once.
 */
export async function registerYamlSchemas(context: vscode.ExtensionContext, folder: () => string): Promise<void> {
  const yaml = vscode.extensions.getExtension<YamlExtensionApi>('redhat.vscode-yaml');
  if (!yaml) return;
  const api = await yaml.activate();
  if (typeof api?.registerContributor !== 'function') return;
  const roots = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
  api.registerContributor(
    'aegis',
    (resource) => {
      const kind = schemaKindFor(resource, roots(), folder());
      return kind && `aegis-schema:/${kind}.json`;
    },
    (uri) => readFile(context.asAbsolutePath(`schemas/${uri.replace(/^aegis-schema:\//, '')}`), 'utf8'),
  );
}
