import { defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A page waits on a real server that shares two cores with other test files: vitest's 1 s
    // default for expect.poll is shorter than one slow request there (CI once timed out on
    // "Confirming…"), so every poll gets 10 s unless it says otherwise.
    expect: { poll: { timeout: 10_000 } },
  },
});
