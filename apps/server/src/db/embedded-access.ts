import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** A start-up problem of the embedded PostgreSQL, worded for the person running Bastion. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmbeddedPostgresError';
  }
}

/** The system user the postmaster runs as, when it is not Bastion's own user. */
export interface PostgresUser {
  name: string;
  uid: number;
  gid: number;
}

export const isRoot = () => process.getuid?.() === 0;

/**
 * PostgreSQL refuses to run as root, so as root the embedded one runs as the `postgres` system
 * user (created by the first initdb when missing: then this returns undefined until it exists).
 */
export function postgresUser(): PostgresUser | undefined {
  if (!isRoot()) return undefined;
  try {
    // One `id` call: "uid=101(postgres) gid=104(postgres) groups=…" (NSS users included).
    const ids = /uid=(\d+).*?gid=(\d+)/.exec(
      execFileSync('id', ['postgres'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    return ids ? { name: 'postgres', uid: Number(ids[1]), gid: Number(ids[2]) } : undefined;
  } catch {
    return undefined; // no such user yet
  }
}

/** Creates the cluster directory's parents, saying clearly when Bastion itself may not. */
export function ensureParentDir(clusterDir: string): void {
  try {
    mkdirSync(dirname(clusterDir), { recursive: true });
    if (existsSync(clusterDir)) accessSync(clusterDir, constants.R_OK | constants.W_OK);
    else accessSync(dirname(clusterDir), constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `Bastion (user ${userInfo().username}) cannot create or use ${clusterDir} ` +
        `(${(error as NodeJS.ErrnoException).code ?? String(error)}). Give that user access to ` +
        `DATA_DIR, set DATA_DIR to a directory it owns, or set DATABASE_URL.`,
      { cause: error },
    );
  }
}

/** Whether `user` may enter `dir`, by its mode bits (libuv drops supplementary groups). */
function modeAllowsSearch(dir: string, user: PostgresUser): boolean {
  const { mode, uid, gid } = statSync(dir);
  if (uid === user.uid) return (mode & 0o100) !== 0;
  if (gid === user.gid) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/** Asks the system itself (ACLs included): can `user` enter `dir`? Only on the suspicious path. */
function userCanEnter(dir: string, user: PostgresUser): boolean {
  const result = spawnSync('sh', ['-c', 'cd -- "$1"', 'sh', dir], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return result.status === 0;
}

/**
 * Fails early, with the fix, when the postgres user cannot reach the cluster directory: a
 * DATA_DIR under /root (mode 700) is the usual case, and initdb or postgres would otherwise stop
 * with a bare "Permission denied". A cluster owned by someone else is refused by postgres too.
 */
export function assertPostgresCanReach(clusterDir: string, user: PostgresUser): void {
  const blocked: string[] = [];
  for (let dir = dirname(resolve(clusterDir)); ; dir = dirname(dir)) {
    if (existsSync(dir) && !modeAllowsSearch(dir, user)) blocked.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  const stillBlocked = blocked.filter((dir) => !userCanEnter(dir, user));
  if (stillBlocked.length > 0) {
    const details = stillBlocked
      .map((dir) => {
        const { mode, uid } = statSync(dir);
        return `${dir} (owner uid ${uid}, mode ${(mode & 0o777).toString(8)})`;
      })
      .join(', ');
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL cannot reach its data in ${clusterDir}. Bastion runs as root, so ` +
        `PostgreSQL (which refuses root) runs as the system user "${user.name}", and that user ` +
        `may not enter ${details}. Fix: let it through (chmod o+x ${stillBlocked.join(' ')}), ` +
        `or set DATA_DIR to a directory it can reach (e.g. /var/lib/bastion), or run Bastion as ` +
        `an ordinary user, or set DATABASE_URL.`,
    );
  }
  if (existsSync(join(clusterDir, 'PG_VERSION'))) {
    const owner = statSync(clusterDir).uid;
    if (owner !== user.uid) {
      throw new EmbeddedPostgresError(
        `${clusterDir} belongs to uid ${owner}, but the embedded PostgreSQL runs as the system ` +
          `user "${user.name}" (uid ${user.uid}) because Bastion runs as root. Run Bastion as the ` +
          `user who created it, or hand it over: chown -R ${user.name}: ${clusterDir}`,
      );
    }
  }
}
