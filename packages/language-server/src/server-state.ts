import type { Registries } from './registries.js';

/** What the connection handlers share: the registries (once initialized) and what the client can do. */
export interface ServerState {
  registries: Registries | undefined;
  /** The client applies `documentChanges` with file renames. */
  canRenameFiles: boolean;
  /** The client applies `documentChanges` with file creations. */
  canCreateFiles: boolean;
}
