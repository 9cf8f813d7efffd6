import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EmbeddedPostgresError } from './embedded-access.js';

/** Kept off 5432, so that a system PostgreSQL can run beside it. */
export const DEFAULT_EMBEDDED_PORT = 54329;
/** How far above the default to look for a free port before asking the system for any. */
const SCAN = 100;

/** Where a cluster remembers its port, so each data directory keeps one across restarts. */
export const portFile = (clusterDir: string) => join(clusterDir, 'bastion-port');

/** Whether nothing listens on 127.0.0.1:port (postgres binds there only). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1' }, () => probe.close(() => resolve(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export function rememberedPort(clusterDir: string): number | undefined {
  if (!existsSync(portFile(clusterDir))) return undefined;
  const port = Number(readFileSync(portFile(clusterDir), 'utf8').trim());
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

export function rememberPort(clusterDir: string, port: number): void {
  if (rememberedPort(clusterDir) !== port) writeFileSync(portFile(clusterDir), `${port}\n`);
}

/**
 * The port to start on. An explicit one (EMBEDDED_POSTGRES_PORT) is used as given, and a busy
 * one is an error. Otherwise the port this cluster used last, else the default; when that is
 * taken (another checkout's Bastion, say), the next free one above the default.
 */
export async function choosePort(
  clusterDir: string,
  explicit: number | undefined,
  notify: (message: string) => void,
): Promise<number> {
  if (explicit !== undefined) {
    if (await isPortFree(explicit)) return explicit;
    throw new EmbeddedPostgresError(
      `Port ${explicit} (EMBEDDED_POSTGRES_PORT) is already in use on 127.0.0.1, by another ` +
        `program or another Bastion. Choose a free port, or unset EMBEDDED_POSTGRES_PORT and ` +
        `Bastion picks one and remembers it in ${portFile(clusterDir)}.`,
    );
  }
  const preferred = rememberedPort(clusterDir) ?? DEFAULT_EMBEDDED_PORT;
  if (await isPortFree(preferred)) return preferred;
  let chosen: number | undefined;
  for (let port = DEFAULT_EMBEDDED_PORT + 1; port < DEFAULT_EMBEDDED_PORT + SCAN; port++) {
    if (port !== preferred && (await isPortFree(port))) {
      chosen = port;
      break;
    }
  }
  chosen ??= await anyFreePort();
  notify(`port ${preferred} is taken (another Bastion?): the embedded PostgreSQL uses ${chosen}`);
  return chosen;
}
