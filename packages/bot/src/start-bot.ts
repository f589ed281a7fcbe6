import { serveBot, type RunningBot } from './bot-server.js';
import { readBotOptions } from './read-bot-options.js';

/**
 * Serves the app configured by `env` (Probot's usual variables plus Aegis's own: docs/github-app.md):
 * `readBotOptions` reads every variable, `serveBot` wires and serves.
 */
export async function startBot(env: NodeJS.ProcessEnv = process.env): Promise<RunningBot> {
  return serveBot(await readBotOptions(env));
}
