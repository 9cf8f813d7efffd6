import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { serverRoot } from '../src/paths.js';

// The real entry point, as `npm start` runs it (from source here, so no build is needed). tsx is
// loaded into this one node process rather than run as a wrapper, so signals reach the server.
export const NODE_ARGS = ['--import', 'tsx', '--conditions=source', 'src/main.ts'];

export type ServerProcess = ChildProcess & { output: () => string };

export interface StartOptions {
  /**
   * Run it the way `npm start` does, through npm (`npm exec --call 'exec node …'`, the shape of
   * the start script), as the foreground job of a terminal: in a process group of its own, so that
   * `process.kill(-pid, 'SIGINT')` is a Ctrl-C reaching npm and node at once.
   */
  viaNpm?: boolean;
  /** Arguments in place of src/main.ts (a CLI command: `['src/cli/main.ts', 'db:migrate']`). */
  script?: string[];
  /** Run as this (unprivileged) user; needs root. */
  user?: { uid: number; gid: number };
}

export function startServer(
  env: Record<string, string>,
  options: StartOptions = {},
): ServerProcess {
  const args = [...NODE_ARGS.slice(0, 3), ...(options.script ?? NODE_ARGS.slice(3))];
  const fullEnv = {
    ...process.env,
    SERVE_WEB: 'false',
    LOG_FORMAT: 'json',
    DATABASE_URL: '',
    ...env,
  };
  const child = options.viaNpm
    ? spawn('npm', ['exec', '--call', `exec node ${args.join(' ')}`], {
        cwd: serverRoot,
        env: fullEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      })
    : spawn(process.execPath, args, {
        cwd: serverRoot,
        env: fullEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(options.user ?? {}),
      });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function waitForHealth(port: number, child: ServerProcess) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${child.output()}`);
    const response = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
    if (response?.ok) return (await response.json()) as { database: string };
    await delay(100);
  }
  throw new Error(`server never became healthy:\n${child.output()}`);
}

/** The pid and port that `postmaster.pid` of a cluster names, or undefined when there is none. */
export function postmasterOf(clusterDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** Direct children of a process (procps' pgrep). */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** Log lines that are not pino JSON below error level: stray output or errors. */
export function errorLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        return (JSON.parse(line) as { level?: number }).level! >= 50;
      } catch {
        return true;
      }
    });
}
