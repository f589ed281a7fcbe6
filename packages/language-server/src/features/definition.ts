import type { Location, Position } from 'vscode-languageserver';
import type { FileUris } from '../file-uri.js';
import { declarationOf } from '../occurrences-of.js';
import { symbolAt } from '../symbol-at.js';
import type { Workspace } from '../workspace.js';

/** Go to definition: from a reference's schema or column (or a foreign key / index column) to its declaration. */
export function definition(workspace: Workspace, uris: FileUris, file: string, position: Position): Location[] {
  const schema = workspace.schemaOf(file);
  const target = schema && symbolAt(schema, position);
  const found = target && declarationOf(workspace, target);
  return found ? [{ uri: uris.toUri(found.file), range: found.range }] : [];
}
