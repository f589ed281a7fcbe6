# The Aegis app (the GitHub App server, `aegis bot`) as an image. The build only copies the bundle that
# scripts/bundle-app.mjs made and test/adoption started against the fake GitHub; nothing is compiled or
# installed from npm here. Build it from the repository root:
#   npx -y pnpm@10 install --frozen-lockfile && npx -y pnpm@10 exec tsc -b && node scripts/bundle-app.mjs
#   docker build -t aegis .
# Configure with Probot's and Aegis's environment (docs/deploy.md): APP_ID, PRIVATE_KEY_PATH, WEBHOOK_SECRET,
# and for several replicas DATABASE_URL, REDIS_URL, NATS_URL (docker-compose.yml).
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. The tested bundle, as it was tested: it must start, and bring no node_modules.
FROM ${NODE_IMAGE} AS bundle
WORKDIR /app
COPY build/app/ ./
RUN test ! -e node_modules && node aegis.mjs --help > /dev/null

# 2. The runtime: node, git (the bot reads repositories through bare mirrors), tini, a non-root user.
FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install -y --no-install-recommends git ca-certificates tini \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --system aegis \
  && useradd --system --gid aegis --home-dir /data --shell /usr/sbin/nologin aegis \
  && mkdir -p /data \
  && chown aegis:aegis /data
COPY --from=bundle /app/ /app/
WORKDIR /data
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    AEGIS_DATA_DIR=/data/db \
    AEGIS_MIRROR_DIR=/data/mirrors
# The embedded store (PGlite: locks, states, audit) and the mirrors live here; with DATABASE_URL and
# REDIS_URL only the mirrors (a cache) do.
VOLUME ["/data"]
EXPOSE 3000
USER aegis
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/aegis.mjs"]
CMD ["bot"]
