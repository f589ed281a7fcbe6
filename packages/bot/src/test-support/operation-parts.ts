import type { FreezeService } from '@aegis/freeze';
import { botContext } from '../bot-context.js';
import { botGate } from '../gate/bot-gate.js';
import type { OperationParts } from '../indexing/operation-context.js';
import type { RepoMirror } from '../mirror/repo-mirror.js';

/**
 * What `repoOperations`/`withGate` make an operations' context of, over a real freeze facade: the bot's
 * defaults and the gate over them, as `createAegisApp` wires them. The mirror refuses unless a test passes one.
 */
export function operationParts(
  freeze: FreezeService,
  mirror: Pick<RepoMirror, 'sync'> = { sync: () => Promise.reject(new Error('no mirror in this test')) },
): OperationParts {
  // Only `sync` is ever called on the mirror by the operations and the gate.
  const bot = botContext({ freeze, mirror: mirror as RepoMirror });
  return { bot, gate: (afterChecks) => botGate(bot, afterChecks) };
}
