import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../../../test/global-setup.js';

export interface ScratchCluster {
  url: string;
  stop(): void;
}

/**
 * A throwaway PostgreSQL cluster built from the same installation as `pgDump`, for when the test
 * database server is newer than every pg_dump on the machine (the embedded server is 18; Debian
 * bookworm's client is 15). Returns undefined when that installation has no server binaries.
 */
export async function startScratchCluster(pgDump: string): Promise<ScratchCluster | undefined> {
  const bin = dirname(pgDump);
  const [initdb, pgCtl] = [join(bin, 'initdb'), join(bin, 'pg_ctl')];
  if (!existsSync(initdb) || !existsSync(pgCtl)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bastion-scratch-pg-'));
  chmodSync(dir, 0o755);
  // PostgreSQL refuses to run as root: run it as the `postgres` system user then.
  let owner: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    owner = {
      uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
      gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    };
    chownSync(dir, owner.uid, owner.gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const run = (binary: string, args: string[]) => {
    const result = spawnSync(binary, args, { encoding: 'utf8', ...owner });
    if (result.status !== 0) throw new Error(`${binary} failed: ${result.stderr}${result.stdout}`);
  };
  run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  run(pgCtl, [
    '-D',
    data,
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      spawnSync(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop'], owner ?? {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
