#!/usr/bin/env bash
# npm run bench [-- DURATION_S]   (env: ROUNDS, PEERS, BENCH_DIR, WEB_WORKERS, LOG_LEVEL)
# Builds Bastion, then runs the shared benchmark (../shared/bench/compare.sh) with Bastion as an
# extra target next to django-drf, fastapi and node-raw: same PostgreSQL, same machine, same wrk.
# Bastion runs in production mode (NODE_ENV=production, compiled JS, JSON logs, helmet, auth,
# validation), 2 processes like node-raw, against a fresh database that it migrates itself;
# BENCH_API_KEY is imported as a real API key (leads:read + leads:write) before it starts.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$ROOT/../shared/bench}"
[ -x "$BENCH_DIR/compare.sh" ] || { echo "bench: no compare.sh in $BENCH_DIR (set BENCH_DIR)" >&2; exit 1; }

# Idempotent: apt packages, PostgreSQL running, the peers' dependencies (a few seconds when done).
if [ "$(id -u)" = 0 ]; then "$BENCH_DIR/setup.sh"; else echo "bench: not root, skipping setup.sh"; fi
(cd "$ROOT" && node scripts/build.mjs --if-stale) || { echo "bench: build failed" >&2; exit 1; }

# The server's settings. The rate limits (global per IP, and lead creation per IP and key) are raised (not disabled: the check still
# runs on every request) because wrk posts thousands of leads per second from one IP and key.
SECRET="bench-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
START="cd '$ROOT' && export NODE_ENV=production SECRET_KEY='$SECRET' HOST=127.0.0.1 SERVE_WEB=false \
  LOG_LEVEL='${LOG_LEVEL:-info}' RATE_LIMIT_PER_MINUTE=1000000000 LEADS_CREATE_LIMIT_PER_IP=1000000000 LEADS_CREATE_LIMIT_PER_KEY=1000000000 \
  WEB_WORKERS='${WEB_WORKERS:-2}' && \
  node apps/server/dist/cli/main.js apikey:create --name bench --scopes leads:read,leads:write --key \"\$BENCH_API_KEY\" >/dev/null && \
  exec node scripts/bench-cluster.mjs"

cd "$BENCH_DIR"
exec ./compare.sh "$@" "bastion=$START"
