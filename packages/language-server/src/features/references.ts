import type { Location, Position } from 'vscode-languageserver';
import type { FileUris } from '../file-uri.js';
import { occurrencesOf } from '../occurrences-of.js';
import { symbolAt } from '../symbol-at.js';
import type { Workspace } from '../workspace.js';

/** Find references: every place across the registry naming the schema or column under the cursor. */
export function references(
  workspace: Workspace,
  uris: FileUris,
  file: string,
  position: Position,
  includeDeclaration: boolean,
): Location[] {
  const schema = workspace.schemaOf(file);
  const target = schema && symbolAt(schema, position);
  if (!target) return [];
  return occurrencesOf(workspace, target)
    .filter((o) => includeDeclaration || !o.declaration)
    .map((o) => ({ uri: uris.toUri(o.file), range: o.range }));
}
