import type { Schema } from '@aegis/core';
import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction, Command, Diagnostic, WorkspaceEdit } from 'vscode-languageserver';
import type { FileUris } from '../file-uri.js';
import { DIAGNOSTIC_SOURCE } from '../to-lsp-diagnostic.js';
import type { Workspace } from '../workspace.js';

interface FixData {
  suggestion?: string;
  missingSchema?: string;
}

const dataOf = (d: Diagnostic): FixData => (typeof d.data === 'object' && d.data !== null ? (d.data as FixData) : {});

/** A new schema file for `name`, keyed by the column the reference expects, typed like its foreign key. */
export function newSchemaText(name: string, from: Schema | undefined, diagnostic: Diagnostic): string {
  const ref = from?.references.find(
    (r) => r.schema.value === name && r.schema.range.start.line === diagnostic.range.start.line,
  );
  const key = ref?.column.value || 'id';
  const type = from?.columns.find((c) => c.name.value === ref?.foreignKey.value)?.type.value ?? 'UUID';
  return [
    `name: ${name}`,
    `owner: ${from?.owner?.value ?? 'unknown-service'}`,
    'version: 0.1.0',
    `description: ${name} (describe this table)`,
    '',
    'columns:',
    `  - name: ${key}`,
    `    type: ${type}`,
    '    nullable: false',
    '    primary_key: true',
    '',
  ].join('\n');
}

/** The command the server runs itself to create a schema file, for clients that cannot apply file creations. */
export const CREATE_SCHEMA_FILE_COMMAND = 'aegis.createSchemaFile';

function createFileEdit(uri: string, text: string): WorkspaceEdit {
  return {
    documentChanges: [
      { kind: 'create', uri, options: { ignoreIfExists: true } },
      {
        textDocument: { uri, version: null },
        edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }],
      },
    ],
  };
}

function createFileCommand(uri: string, text: string): { command: Command } {
  return { command: { title: 'Create schema file', command: CREATE_SCHEMA_FILE_COMMAND, arguments: [uri, text] } };
}

/**
 * Quick fixes for the diagnostics the client sends back: replace an unknown name by the did-you-mean
 * suggestion, and create the missing schema file beside this one: as a workspace edit when the client can
 * create files, else as a command the server carries out (`CREATE_SCHEMA_FILE_COMMAND`).
 */
export function codeActions(
  workspace: Workspace,
  uris: FileUris,
  file: string,
  diagnostics: Diagnostic[],
  createFiles: boolean,
): CodeAction[] {
  const uri = uris.toUri(file);
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE)) {
    const { suggestion, missingSchema } = dataOf(diagnostic);
    if (suggestion) {
      actions.push({
        title: `Change to '${suggestion}'`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [uri]: [{ range: diagnostic.range, newText: suggestion }] } },
      });
    }
    if (missingSchema && /^[a-z][a-z0-9_]{0,62}$/.test(missingSchema)) {
      const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
      const text = newSchemaText(missingSchema, workspace.schemaOf(file), diagnostic);
      const created = `${folder}${missingSchema}.yaml`;
      actions.push({
        title: `Create schema file ${created}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(createFiles
          ? { edit: createFileEdit(uris.toUri(created), text) }
          : createFileCommand(uris.toUri(created), text)),
      });
    }
  }
  return actions;
}
