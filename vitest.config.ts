import { defineConfig } from 'vitest/config';

// One run, four projects: server (unit + integration on real PostgreSQL), web (components),
// e2e (real Chromium against a real server), release (CI gates, tag policy, manifests, workflows:
// scripts/, deploy/ and .github/, no database). The database server is started once for all.
export default defineConfig({
  test: {
    projects: [
      'apps/server',
      'apps/web',
      'e2e',
      {
        test: {
          name: 'release',
          environment: 'node',
          include: ['scripts/**/*.test.mjs', 'deploy/**/*.test.mjs'],
          testTimeout: 60_000,
        },
      },
    ],
    globalSetup: ['apps/server/test/global-setup.ts'],
    // Most test files wait on PostgreSQL, Chromium or a child server rather than compute, so one
    // more file than the 2 cores CI has keeps them busy. TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.TEST_WORKERS) || 3,
  },
});
