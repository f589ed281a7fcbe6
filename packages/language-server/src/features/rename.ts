import type { Position, Range, TextDocumentEdit, RenameFile, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { FileUris } from '../file-uri.js';
import { occurrencesOf } from '../occurrences-of.js';
import { symbolAt } from '../symbol-at.js';
import type { SymbolTarget } from '../symbol-at.js';
import type { Workspace } from '../workspace.js';

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** How the client applies edits. */
export interface RenameOptions {
  /** The client accepts `documentChanges` with a file rename (renaming a schema renames its file too). */
  renameFiles: boolean;
  /** The version of an open document, null when it is not open. */
  versionOf: (uri: string) => number | null;
}

/** Why `newName` cannot be used: a schema or a column of the same schema already has it. */
function clashOf(workspace: Workspace, target: SymbolTarget, newName: string): string | undefined {
  if (target.kind === 'schema') {
    return workspace.schemaNamed(newName) ? `A schema named '${newName}' already exists.` : undefined;
  }
  const owner = workspace.schemaNamed(target.schema);
  const taken = owner?.columns.some((c) => c.name.value === newName && c.name.value !== target.column);
  return taken ? `Schema '${target.schema}' already has a column named '${newName}'.` : undefined;
}

/**
 * The `renamed_from: <old name>` a rename writes beside the declaration, so a migration renames the table or
 * column (keeping its data) instead of dropping and re-creating it. An existing `renamed_from` is kept: it
 * names what the base has. A one-line (flow) column gets `, renamed_from: old`; a block one a line of its own.
 */
function intentEdit(workspace: Workspace, target: SymbolTarget): { file: string; edit: TextEdit } | undefined {
  const schema = workspace.schemaNamed(target.schema);
  if (!schema) return undefined;
  if (target.kind === 'schema') {
    if (schema.renamedFrom) return undefined;
    const at = schema.name.range.end;
    return { file: schema.file, edit: { range: { start: at, end: at }, newText: `\nrenamed_from: ${target.schema}` } };
  }
  const column = schema.columns.find((c) => c.name.value === target.column);
  if (!column || column.renamedFrom) return undefined;
  const at = column.name.range.end;
  const flow = column.range.start.line === column.range.end.line;
  const newText = flow
    ? `, renamed_from: ${target.column}`
    : `\n${' '.repeat(column.range.start.character)}renamed_from: ${target.column}`;
  return { file: schema.file, edit: { range: { start: at, end: at }, newText } };
}

/** The range and current text of what would be renamed at the cursor, or undefined if nothing can be. */
export function prepareRename(
  workspace: Workspace,
  file: string,
  position: Position,
): { range: Range; placeholder: string } | undefined {
  const schema = workspace.schemaOf(file);
  const target = schema && symbolAt(schema, position);
  if (!target || !workspace.schemaNamed(target.schema)) return undefined;
  return { range: target.range, placeholder: target.kind === 'schema' ? target.schema : target.column };
}

/**
 * Renames a schema or a column everywhere it is named across the registry (see `occurrencesOf`), and states
 * the rename with `renamed_from` at the declaration (see `intentEdit`). Renaming a
 * schema also renames its file when the file is named after it and the client can rename files, so the
 * name keeps matching the file. Returns an error message for an invalid name or nothing to rename.
 */
export function rename(
  workspace: Workspace,
  uris: FileUris,
  file: string,
  position: Position,
  newName: string,
  options: RenameOptions,
): WorkspaceEdit | { error: string } {
  if (!NAME.test(newName)) return { error: `'${newName}' is not a valid name: use ^[a-z][a-z0-9_]{0,62}$` };
  const schema = workspace.schemaOf(file);
  const target = schema && symbolAt(schema, position);
  if (!target || !workspace.schemaNamed(target.schema))
    return { error: 'Nothing to rename here: put the cursor on a schema or column name.' };
  const clash = clashOf(workspace, target, newName);
  if (clash) return { error: clash };
  const edits = new Map<string, TextEdit[]>();
  for (const o of occurrencesOf(workspace, target)) {
    const uri = uris.toUri(o.file);
    edits.set(uri, [...(edits.get(uri) ?? []), { range: o.range, newText: newName }]);
  }
  const declared = workspace.schemaNamed(target.schema)?.file;
  const match = declared?.match(/^(.*\/)?([^/]+)\.(ya?ml)$/);
  const renamed =
    target.kind === 'schema' && declared && match && match[2] === target.schema
      ? { from: declared, to: `${match[1] ?? ''}${newName}.${match[3]}` }
      : undefined;
  if (renamed && !options.renameFiles) return { error: cannotRenameFile(renamed.from, renamed.to) };
  const intent = intentEdit(workspace, target);
  if (intent) {
    const uri = uris.toUri(intent.file);
    edits.set(uri, [...(edits.get(uri) ?? []), intent.edit]);
  }
  if (!options.renameFiles) return { changes: Object.fromEntries(edits) };
  const documentChanges: (TextDocumentEdit | RenameFile)[] = [...edits].map(([uri, list]) => ({
    textDocument: { uri, version: options.versionOf(uri) },
    edits: list,
  }));
  if (renamed)
    documentChanges.push({ kind: 'rename', oldUri: uris.toUri(renamed.from), newUri: uris.toUri(renamed.to) });
  return { documentChanges };
}

/**
 * A schema's file is named after it (the CLI reports `name-mismatch` otherwise), so renaming the schema must
 * rename the file; a client that cannot rename files through a workspace edit gets what to do instead.
 */
function cannotRenameFile(from: string, to: string): string {
  return (
    `This editor cannot rename files through the language server, and the schema's file must keep its name: ` +
    `rename ${from} to ${to} first (the file, on disk), then rename the schema again.`
  );
}
