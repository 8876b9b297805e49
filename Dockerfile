# hush container image. Build:  docker build -t hush .
# Run (embedded SQLite):        docker run -p 8080:8080 -v hush-data:/data hush
# Deployment guide:             docs/deployment.md

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile TypeScript, the web page and the better-sqlite3 module; drop dev packages ----
FROM ${NODE_IMAGE} AS build

# better-sqlite3 compiles its addon with node-gyp when no prebuilt binary can be downloaded.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so this layer is reused until package*.json change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json vite.config.ts ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# better-sqlite3 loads only build/Release/better_sqlite3.node at run time: drop its C sources and
# object files (about 25 MB) when it was compiled here rather than downloaded. Pruning leaves the
# emptied scope folders of dev packages behind: drop those too.
RUN cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node /tmp/ \
 && rm -rf build deps src \
 && mkdir -p build/Release \
 && mv /tmp/better_sqlite3.node build/Release/ \
 && cd /app \
 && find node_modules -mindepth 1 -maxdepth 1 -type d -empty -delete

# ---- runtime: node, the compiled app and production node_modules; no compiler, no npm cache ----
FROM ${NODE_IMAGE} AS runtime

ENV NODE_ENV=production \
    HUSH_HOST=0.0.0.0 \
    HUSH_PORT=8080 \
    HUSH_DATA_DIR=/data

WORKDIR /app

# Code stays owned by root, so the unprivileged process cannot modify it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# SQLite database and master key file (embedded default). With PostgreSQL and HUSH_MASTER_KEY set,
# nothing is written here.
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
VOLUME ["/data"]

# The image's `node` user (uid 1000, gid 1000).
USER node

EXPOSE 8080

# Liveness via node itself (the slim image has no curl). Assumes HUSH_HOST covers 127.0.0.1.
# With HUSH_TLS_CERT_FILE the port speaks only TLS; the certificate names the public host, not
# 127.0.0.1, so this loopback probe does not verify it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require(process.env.HUSH_TLS_CERT_FILE?'node:https':'node:http').get({host:'127.0.0.1',port:process.env.HUSH_PORT||8080,path:'/healthz',rejectUnauthorized:false,timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]

# node runs as PID 1 without an init: hush installs its own SIGTERM/SIGINT handlers (drain, close
# storage, exit) and starts no child processes (hashing and checkpoints use worker threads), so
# there are no zombies to reap. Give `docker stop` more time than HUSH_SHUTDOWN_TIMEOUT_SECONDS.
STOPSIGNAL SIGTERM

CMD ["node", "dist/main.js"]
