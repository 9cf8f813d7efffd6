import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: it diffs the TypeScript schema against the last snapshot and writes a
// new SQL migration into ./drizzle, which is committed and applied at startup (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
});
