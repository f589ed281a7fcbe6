import type { LanguageSession } from './language-session.js';

/** What the connection handlers share: the session (once initialized) and what the client can do. */
export interface ServerState {
  session: LanguageSession | undefined;
  /** The client applies `documentChanges` with file renames. */
  canRenameFiles: boolean;
  /** The client applies `documentChanges` with file creations. */
  canCreateFiles: boolean;
}
