import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: it diffs the TypeScript schema against the last snapshot and writes a
// new SQL migration into ./drizzle, which is committed and applied at startup (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  // Every module keeps its tables in its own schema.ts; the platform's own in db/settings.ts.
  // modules/manifest.test.ts checks that these files and the module manifests list the same tables.
  schema: ['./src/db/settings.ts', './src/modules/*/schema.ts'],
  out: './drizzle',
  casing: 'snake_case',
});
