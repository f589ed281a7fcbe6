import path from 'node:path';
import type { FakeGitHub } from './fake-github.js';

/**
 * The settings that run the app against `fake` as its GitHub (REST API and git over HTTP, the fake's app
 * credentials), webhooks signed with `secret`, its stores in `dataDir/db` and mirrors in `dataDir/mirrors`, on
 * any free port, logging only what is fatal and without pacing its writes (the fake has no rate limits).
 */
export function appEnv(fake: FakeGitHub, opts: { secret: string; dataDir: string }): NodeJS.ProcessEnv {
  return {
    APP_ID: String(fake.app.appId),
    PRIVATE_KEY: fake.app.privateKey,
    WEBHOOK_SECRET: opts.secret,
    PORT: '0',
    GHE_HOST: fake.url.replace('http://', ''),
    GHE_PROTOCOL: 'http',
    AEGIS_DATA_DIR: path.join(opts.dataDir, 'db'),
    AEGIS_MIRROR_DIR: path.join(opts.dataDir, 'mirrors'),
    AEGIS_GIT_URL: fake.gitUrlTemplate,
    LOG_LEVEL: 'fatal',
    AEGIS_GITHUB_THROTTLE: 'off',
  };
}
