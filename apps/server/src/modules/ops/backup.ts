import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import { databaseUrlFor } from '../../db/admin.js';
import { findPgTools, libpqEnv, serverMajor, type PgTools } from './pg-tools.js';

/** `bastion-<database>-<UTC timestamp>.dump`: sorts by time, says what it holds. */
const BACKUP_NAME = /^bastion-.+-\d{8}T\d{9}Z\.dump$/;

export interface BackupResult {
  file: string;
  bytes: number;
  /** Older backups deleted to keep the newest `keep`. */
  removed: string[];
  tools: PgTools;
}

function runTool(binary: string, args: string[], url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      env: { ...process.env, ...libpqEnv(url) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${basename(binary)} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

const timestamp = (date: Date) => date.toISOString().replace(/[-:.]/g, ''); // 20261123T201500123Z

/**
 * pg_dump in the custom format, gzip-compressed inside the archive (`-Z 6`): one file that
 * pg_restore can restore whole or in part. Written under a temporary name and renamed when
 * complete, so a failed dump never counts as a backup. Then only the newest `keep` are kept.
 */
export async function backupDatabase(options: {
  url: string;
  dir: string;
  keep: number;
  pgBinDir?: string | undefined;
  now?: Date;
}): Promise<BackupResult> {
  const tools = await findPgTools(await serverMajor(options.url), options.pgBinDir);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const database = new URL(options.url).pathname.slice(1) || 'postgres';
  const file = join(
    options.dir,
    `bastion-${database}-${timestamp(options.now ?? new Date())}.dump`,
  );
  const partial = `${file}.partial`;
  try {
    await runTool(
      tools.pgDump,
      ['--format=custom', '--compress=6', '--no-owner', '--file', partial],
      options.url,
    );
    // The dump holds every row, password hashes included: owner-only.
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return {
    file,
    bytes: statSync(file).size,
    removed: pruneBackups(options.dir, options.keep),
    tools,
  };
}

/** Deletes all but the newest `keep` backups in `dir`; returns the deleted paths. */
export function pruneBackups(dir: string, keep: number): string[] {
  const backups = listBackups(dir);
  const removed = backups.slice(0, Math.max(0, backups.length - keep));
  for (const file of removed) rmSync(file);
  return removed;
}

/** Backups in `dir`, oldest first. */
export function listBackups(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stamp = (name: string) => name.slice(name.lastIndexOf('-') + 1);
  return names
    .filter((name) => BACKUP_NAME.test(name))
    .sort((a, b) => stamp(a).localeCompare(stamp(b)))
    .map((name) => join(dir, name));
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Replaces the database of `url` with the backup: drops and recreates it (ending every
 * connection to it: stop the API, workers and scheduler first), then pg_restore in one
 * transaction, so a failed restore leaves an empty database rather than a half-restored one.
 */
export async function restoreDatabase(options: {
  url: string;
  file: string;
  pgBinDir?: string | undefined;
}): Promise<PgTools> {
  const target = new URL(options.url).pathname.slice(1);
  if (!target) throw new Error('the database URL names no database');
  // The target may not exist (dropped, new server): talk to the server through another database.
  const adminUrl = databaseUrlFor(options.url, target === 'postgres' ? 'template1' : 'postgres');
  const tools = await findPgTools(await serverMajor(adminUrl), options.pgBinDir);
  const admin = new pg.Client({ connectionString: adminUrl, application_name: 'bastion-restore' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(target)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(target)}`);
  } finally {
    await admin.end();
  }
  await runTool(
    tools.pgRestore,
    [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      '--dbname',
      target,
      options.file,
    ],
    options.url,
  );
  return tools;
}
