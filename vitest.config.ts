import { defineConfig } from 'vitest/config';

// One run, three projects: server (unit + integration on real PostgreSQL), web (components),
// e2e (real Chromium against a real server). The database server is started once for all.
export default defineConfig({
  test: {
    projects: ['apps/server', 'apps/web', 'e2e'],
    globalSetup: ['apps/server/test/global-setup.ts'],
  },
});
