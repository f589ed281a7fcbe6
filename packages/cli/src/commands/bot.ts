import { readBotOptions, serveBot } from '@aegis/bot';
import { EXIT, type Command } from '../command.js';

/** `aegis bot`: serve the GitHub App until SIGINT/SIGTERM. */
export const botCommand: Command = {
  name: 'bot',
  usage: `aegis bot

  Serves the GitHub App with Probot's environment: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET,
  PORT (3000), HOST, WEBHOOK_PATH (/api/github/webhooks), GHE_HOST/GHE_PROTOCOL for GitHub Enterprise, LOG_LEVEL.
  State: AEGIS_DATA_DIR (embedded PGlite, default .aegis) or DATABASE_URL (PostgreSQL) and REDIS_URL (Redis)
  for several replicas. AEGIS_MIRROR_DIR, AEGIS_GIT_URL ({owner}/{repo} template), AEGIS_ISSUE_PATTERN
  (e.g. OMS-\\d+), AEGIS_BOT_LOGIN. See docs/github-app.md.`,
  async run(_args, io) {
    const options = await readBotOptions(io.env);
    const running = await serveBot(options);
    io.stderr(`aegis bot: listening on ${running.url} (webhooks at ${options.webhookPath})\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await running.close();
    return EXIT.clean;
  },
};
