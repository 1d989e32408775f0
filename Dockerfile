# syntax=docker/dockerfile:1
#
# k8flex image. Build from the repository root:
#   docker build -t ghcr.io/k8flex/k8flex:0.1.0 .
# Run (embedded database on a volume):
#   docker run --rm -p 8080:8080 -v k8flex-data:/data --read-only --tmpfs /tmp ghcr.io/k8flex/k8flex:0.1.0
#
# The code targets Node 20 (package.json engines: >=20.18).
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile TypeScript with the dev dependencies
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
# tsconfig also includes test/, bench/ and scripts/; they are not copied, so only src/ is compiled.
RUN npx tsc -p tsconfig.json

# ---- deps: production dependencies only
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Read at run time relative to dist/: migrations (src/db/migrate.ts) and the
# dashboard's static files (src/dashboard/find-static-dir.ts).
COPY sql ./sql
COPY src/dashboard/static ./src/dashboard/static
# The only writable paths: the embedded database's directory (a volume) and /tmp.
# Everything else may be mounted read-only (readOnlyRootFilesystem).
RUN mkdir -p /data && chown 1000:1000 /data
VOLUME ["/data"]
# The base image's unprivileged `node` user, numeric so runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
# Docker only; Kubernetes uses the probes in deploy/ (/healthz and /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself; src/cli.ts handles it with a
# graceful stop bounded by SHUTDOWN_TIMEOUT_MS. k8flex starts no child processes, so
# no init is needed to reap zombies.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["serve"]
