import type { Command } from '../command.js';

/** Every `aegis` subcommand, in the order `aegis --help` lists them. */
export const commands: Command[] = [];
