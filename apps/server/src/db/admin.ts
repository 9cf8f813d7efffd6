import pg from 'pg';

/** The same server, another database. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates `name` (optionally copied from `template`) unless it exists; returns its URL. */
export async function ensureDatabase(
  serverUrl: string,
  name: string,
  template?: string,
): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      // FILE_COPY copies the template's files instead of writing every page to the WAL
      // (PostgreSQL 15's default): a test database in ~0.1 s instead of ~0.8 s.
      const from = template ? ` TEMPLATE ${quoteIdent(template)} STRATEGY FILE_COPY` : '';
      await client.query(`CREATE DATABASE ${quoteIdent(name)}${from}`);
    }
  } finally {
    await client.end();
  }
  return databaseUrlFor(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
