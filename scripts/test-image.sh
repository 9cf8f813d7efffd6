#!/usr/bin/env bash
# `npm run test:image`: builds the production image for real and runs every role from it.
# These machines reach no image registry, so the base is made here: a Debian bookworm rootfs
# from debootstrap plus this machine's Node.js, `docker import`ed as the Dockerfile's NODE_IMAGE.
# dockerd is started (and stopped) by this script when it is not running. CPU heavy: nice'd.
# Checks: the image runs read-only as uid 10001 against a PostgreSQL, /api/ready answers 200 with
# the APP_VERSION given at build, the worker and scheduler start and turn healthy (heartbeat),
# the CLI runs, and node_modules in the image is within 100 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
work=${BASTION_IMAGE_WORK:-/tmp/bastion-image}
mkdir -p "$work"
NICE=(nice -n 10)
log() { echo "test:image [$(($(date +%s) - started)) s] $*"; }

dockerd_pid=""
containers=()
cleanup() {
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  if [ -n "$dockerd_pid" ]; then kill "$dockerd_pid" 2>/dev/null || true; wait "$dockerd_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  "${NICE[@]}" dockerd --data-root "$work/docker" --pidfile "$work/dockerd.pid" >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -20 "$work/dockerd.log"; exit 1; }
fi

base=bastion-node-base:bookworm-2
if ! docker image inspect "$base" >/dev/null 2>&1; then
  if [ ! -x "$work/rootfs/bin/sh" ]; then
    log "debootstrap bookworm"
    "${NICE[@]}" debootstrap --variant=minbase bookworm "$work/rootfs.tmp" http://deb.debian.org/debian >"$work/debootstrap.log"
    mv "$work/rootfs.tmp" "$work/rootfs"
  fi
  log "adding Node $(node --version) and npm to the base"
  node_bin=$(command -v node)
  npm_dir=$(dirname "$(readlink -f "$(command -v npm)")")/..
  install -D -m 0755 "$node_bin" "$work/rootfs/usr/local/bin/node"
  rm -rf "$work/rootfs/usr/local/lib/node_modules/npm"
  mkdir -p "$work/rootfs/usr/local/lib/node_modules"
  cp -a "$(readlink -f "$npm_dir")" "$work/rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb
  # This machine's trust store: the registry may be reached through a TLS-inspecting proxy
  # whose CA only the host knows. The official node image needs none of this.
  mkdir -p "$work/rootfs/etc/ssl"
  cp /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/host-ca-bundle.crt"
  tar -C "$work/rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-bundle.crt' \
    --change 'CMD ["node"]' - "$base" >/dev/null
fi

version="0.0.0-image-test.$(git rev-parse --short HEAD)"
log "building the image (APP_VERSION=$version)"
build_started=$(date +%s)
DOCKER_BUILDKIT=0 "${NICE[@]}" docker build -q \
  --build-arg NODE_IMAGE="$base" --build-arg PG_CLIENT=debian --build-arg PG_MAJOR=15 \
  --build-arg APP_VERSION="$version" -t bastion:image-test . >/dev/null
build_s=$(($(date +%s) - build_started))
log "built in ${build_s} s"

modules_mb=$(docker run --rm --entrypoint du bastion:image-test -sm /app/node_modules | cut -f1)
image_mb=$(($(docker image inspect bastion:image-test --format '{{.Size}}') / 1000000))
log "image ${image_mb} MB, node_modules ${modules_mb} MB"
[ "$modules_mb" -le 100 ] || { echo "node_modules is ${modules_mb} MB, budget 100 MB"; exit 1; }

# A database of its own on the PostgreSQL the tests use (DATABASE_URL's server).
server=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db=bastion_image_test_$$
psql "$server" -qc "CREATE DATABASE $db" >/dev/null
trap 'psql "$server" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; cleanup' EXIT
url="${server%/*}/$db"
port=$((18000 + $$ % 1000))
run() {
  # Read-only root, no capabilities, as the image's uid; /tmp and DATA_DIR as tmpfs (a volume
  # in production).
  docker run -d --network host --read-only --cap-drop ALL --security-opt no-new-privileges \
    --user 10001:10001 --tmpfs /tmp --tmpfs /var/lib/bastion:uid=10001,gid=10001 \
    -e DATABASE_URL="$url" -e SECRET_KEY="$(openssl rand -base64 48)" -e PORT="$port" \
    -e HOST=127.0.0.1 "$@" bastion:image-test
}

web=$(run -e BASTION_ROLE=web --name "bastion-it-web-$$")
containers+=("$web")
for _ in $(seq 60); do curl -fsS "http://127.0.0.1:$port/api/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$port/api/ready" >/dev/null || { docker logs "$web" | tail -30; exit 1; }
health=$(curl -fsS "http://127.0.0.1:$port/api/health")
echo "$health" | grep -q "\"$version\"" || { echo "/api/health does not report $version: $health"; exit 1; }
curl -fsS "http://127.0.0.1:$port/" | grep -qi "<html" || { echo "no web page at /"; exit 1; }
docker exec "$web" node apps/server/dist/healthcheck.js web
log "web: /api/ready 200, /api/health reports $version, / serves the app"

for role in worker scheduler; do
  c=$(run -e BASTION_ROLE=$role --name "bastion-it-$role-$$")
  containers+=("$c")
  ok=""
  for _ in $(seq 60); do
    if docker exec "$c" node apps/server/dist/healthcheck.js "$role" 2>/dev/null; then ok=1; break; fi
    [ "$(docker inspect -f '{{.State.Running}}' "$c")" = true ] || break
    sleep 1
  done
  [ -n "$ok" ] || { docker logs "$c" | tail -30; echo "$role did not become healthy"; exit 1; }
  log "$role: running, heartbeat healthy"
done

docker run --rm --network host --read-only --user 10001:10001 --tmpfs /tmp \
  -e DATABASE_URL="$url" -e SECRET_KEY="$(openssl rand -base64 48)" \
  bastion:image-test node apps/server/dist/cli/main.js help >/dev/null
log "cli: help runs"
# The scanner from the built code (data files such as the HSTS preload snapshot must be in dist),
# scanning the web container: loopback allowed by configuration, as self-hosters would.
scan=$(docker run --rm --network host --read-only --user 10001:10001 --tmpfs /tmp \
  -e DATABASE_URL="$url" -e SECRET_KEY="$(openssl rand -base64 48)" -e SCAN_ALLOW_CIDRS=127.0.0.0/8 -e SCAN_ALLOWED_PORTS="$port" \
  bastion:image-test node apps/server/dist/cli/main.js scan "http://127.0.0.1:$port/" --json) ||
  { echo "cli scan failed: $scan"; exit 1; }
echo "$scan" | grep -q '"grade"' || { echo "cli scan printed no grade: $scan"; exit 1; }
log "cli: scan of the web container printed a grade"
log "passed: image build ${build_s} s, total $(($(date +%s) - started)) s"
