import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase } from './admin.js';
import { startEmbeddedPostgres } from './embedded.js';

export interface ScratchDatabase {
  /** The new, empty database (no migrations applied yet). */
  url: string;
  /** Drops it, and stops and removes the embedded server if one was started for it. */
  drop(): Promise<void>;
}

/**
 * A throw-away database for a benchmark: on `DATABASE_URL`'s server when that is set, otherwise
 * on an embedded PostgreSQL started for this run in a temporary directory — the default a fresh
 * checkout has, so `npm run bench…` needs no database of its own either.
 */
export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  if (!serverUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'bastion-bench-'));
    chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as `postgres`, which must enter it
    const embedded = await startEmbeddedPostgres({ dataDir, port: 54000 + (process.pid % 1000) });
    serverUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const server = serverUrl;
  const url = await ensureDatabase(server, name);
  return {
    url,
    async drop() {
      try {
        await dropDatabase(server, name);
      } finally {
        await stopEmbedded?.();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
