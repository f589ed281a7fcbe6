import { renderErd } from '@aegis/core';
import type { FileUris } from '../file-uri.js';
import type { Workspace } from '../workspace.js';

/** The custom request returning a Mermaid ER diagram. */
export const ERD_REQUEST = 'aegis/erd';

/** Parameters of `aegis/erd`: the whole registry, or one schema (by name or by file URI) and its neighbourhood. */
export interface ErdParams {
  /** The schema to centre on, by name. */
  schema?: string;
  /** The schema to centre on, by the URI of its file (what the editor has at hand). */
  uri?: string;
  /** How many foreign-key hops around the focus (default 1). */
  depth?: number;
}

/** The answer to `aegis/erd`. */
export interface ErdResult {
  /** A Mermaid `erDiagram`. */
  mermaid: string;
  /** The schema the diagram centres on, if any. */
  focus?: string;
}

/** Answers `aegis/erd`: an unknown focus is an error rather than a silently different diagram. */
export function erd(
  workspace: Workspace,
  uris: FileUris,
  params: ErdParams | undefined,
): ErdResult | { error: string } {
  const file = params?.uri === undefined ? undefined : uris.toPath(params.uri);
  const focus = params?.schema ?? (file === undefined ? undefined : workspace.schemaOf(file)?.name.value);
  if (params?.uri !== undefined && focus === undefined)
    return { error: `${params.uri} is not a schema of the registry` };
  if (focus === undefined) return { mermaid: renderErd(workspace.registry) };
  if (!workspace.schemaNamed(focus)) return { error: `No schema named '${focus}'` };
  return { mermaid: renderErd(workspace.registry, { focus, depth: params?.depth ?? 1 }), focus };
}
