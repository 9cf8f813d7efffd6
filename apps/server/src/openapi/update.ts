// `npm run openapi:update`: rewrites the committed API contract (openapi/openapi.json) from the
// code. It needs a PostgreSQL for the jobs plugin: DATABASE_URL's server (a scratch database is
// created there and dropped), else an embedded one in a temporary directory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase } from '../db/admin.js';
import { createDatabase } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { runMigrations } from '../db/migrate.js';
import { generateOpenApiDocument, serializeOpenApiDocument } from './generate.js';
import { COMMITTED_OPENAPI_PATH } from './paths.js';

let serverUrl = process.env.DATABASE_URL;
let cleanup = async () => {};
if (!serverUrl) {
  const dataDir = await mkdtemp(join(tmpdir(), 'bastion-openapi-pg-'));
  const embedded = await startEmbeddedPostgres({ dataDir, port: 54000 + (process.pid % 1000) });
  serverUrl = embedded.url;
  cleanup = async () => {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
const name = `bastion_openapi_${process.pid}`;
try {
  const url = await ensureDatabase(serverUrl, name);
  await runMigrations(url);
  const database = createDatabase(url, { poolMax: 2 });
  try {
    const document = await generateOpenApiDocument(database);
    await writeFile(COMMITTED_OPENAPI_PATH, serializeOpenApiDocument(document));
  } finally {
    await database.close();
  }
  await dropDatabase(serverUrl, name);
} finally {
  await cleanup();
}
console.log(`wrote ${COMMITTED_OPENAPI_PATH}`);
