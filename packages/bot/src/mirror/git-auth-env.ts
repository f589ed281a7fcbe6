/**
 * Git configuration passed through the environment (`GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`,
 * git ≥ 2.31) rather than `-c` on the command line, where any local user could read it in the process list.
 * Entries already in `base` are kept and ours are appended.
 */
export function gitConfigEnv(base: NodeJS.ProcessEnv, config: [key: string, value: string][]): Record<string, string> {
  const start = Number.parseInt(base['GIT_CONFIG_COUNT'] ?? '0', 10) || 0;
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(start + config.length) };
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${start + i}`] = key;
    env[`GIT_CONFIG_VALUE_${start + i}`] = value;
  });
  return env;
}

/** The `Authorization` header value git sends with an installation token (GitHub's `x-access-token` user). */
export function basicAuthHeader(token: string): string {
  return `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}
