import type { Command } from '../command.js';
import { depsCommand } from './deps.js';
import { docsCommand } from './docs.js';
import { erdCommand } from './erd.js';
import { orderCommand } from './order.js';
import { validateCommand } from './validate.js';
import { diffCommand } from './diff.js';
import { migrateCommand } from './migrate.js';
import { checkCommand } from './check.js';
import { canCommand } from './can.js';
import { auditCommand } from './audit.js';
import { botCommand } from './bot.js';
import { eventsCommand } from './events.js';
import { migrateApplyCommand } from './migrate-apply.js';
import { migrateStatusCommand } from './migrate-status.js';
import { migrateVerifyCommand } from './migrate-verify.js';

/** Every `aegis` subcommand, in the order `aegis --help` lists them. */
export const commands: Command[] = [
  validateCommand,
  erdCommand,
  docsCommand,
  orderCommand,
  depsCommand,
  diffCommand,
  migrateCommand,
  migrateApplyCommand,
  migrateVerifyCommand,
  migrateStatusCommand,
  checkCommand,
  canCommand,
  auditCommand,
  botCommand,
  eventsCommand,
];
