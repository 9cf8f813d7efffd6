import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits in src/ (tsx, vitest) or dist/ (compiled): either way the package root is one up.
export const serverRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(serverRoot, '../..');
export const migrationsDir = resolve(serverRoot, 'drizzle');
export const defaultWebDistDir = resolve(repoRoot, 'apps/web/dist');
