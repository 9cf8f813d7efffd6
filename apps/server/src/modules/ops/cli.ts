import { join, resolve } from 'node:path';
import type { Command } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { ensureDatabase } from '../../db/admin.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { runMigrations } from '../../db/migrate.js';
import { backupDatabase, listBackups, restoreDatabase } from './backup.js';
import { checkDeploy, formatFindings } from './check-deploy.js';
import { nginxAllowlist, writeAtomically } from './edge-allowlist.js';

const backupDir = (context: CliContext, dir: unknown) =>
  typeof dir === 'string' ? resolve(dir) : join(context.config.dataDir, 'backups');

/**
 * The database URL without migrating it first (a restore replaces the schema anyway), starting
 * the embedded PostgreSQL when DATABASE_URL is unset.
 */
async function withDatabaseUrl<T>(
  context: CliContext,
  use: (url: string) => Promise<T>,
): Promise<T> {
  if (context.config.databaseUrl) return use(context.config.databaseUrl);
  const embedded = await startEmbeddedPostgres({
    dataDir: join(context.config.dataDir, 'postgres'),
    port: context.config.embeddedPostgresPort,
  });
  try {
    return await use(await ensureDatabase(embedded.url, 'bastion'));
  } finally {
    await embedded.stop();
  }
}

export const opsCommands: Record<string, Command> = {
  'db:backup': {
    description: 'Dump the database (pg_dump custom format, compressed) and keep the newest N.',
    usage: 'db:backup [--dir DIR] [--keep N]',
    options: { dir: { type: 'string' }, keep: { type: 'string' } },
    async run(context, values) {
      const keep = values.keep === undefined ? context.config.backupKeep : Number(values.keep);
      if (!Number.isInteger(keep) || keep < 1) throw new Error('--keep must be a whole number ≥ 1');
      const result = await withDatabaseUrl(context, (url) =>
        backupDatabase({
          url,
          dir: backupDir(context, values.dir),
          keep,
          pgBinDir: context.config.pgBinDir,
        }),
      );
      context.logger.info(
        {
          file: result.file,
          bytes: result.bytes,
          removed: result.removed,
          pgDump: result.tools.pgDump,
        },
        'backup written',
      );
    },
  },
  'db:restore': {
    description:
      'Replace the database with a backup (the newest when no file is given). Stop the app first.',
    usage: 'db:restore [FILE] --yes [--dir DIR]',
    options: { yes: { type: 'boolean' }, dir: { type: 'string' } },
    async run(context, values, positionals) {
      const file = positionals[0]
        ? resolve(positionals[0])
        : listBackups(backupDir(context, values.dir)).at(-1);
      if (!file)
        throw new Error(`no backup given and none found in ${backupDir(context, values.dir)}`);
      await withDatabaseUrl(context, async (url) => {
        const database = new URL(url).pathname.slice(1);
        if (values.yes !== true) {
          throw new Error(
            `this replaces every row of database "${database}" with ${file}; run again with --yes`,
          );
        }
        await restoreDatabase({ url, file, pgBinDir: context.config.pgBinDir });
        // A backup from an older release gets the migrations added since.
        await runMigrations(url);
        context.logger.info({ file, database }, 'database restored');
      });
    },
  },
  'edge:nginx-allowlist': {
    description:
      'Write the nginx allow/deny lines for the operator surfaces from ADMIN_ALLOWED_CIDRS.',
    usage: 'edge:nginx-allowlist [--out /etc/nginx/bastion-ops-allowlist.conf]',
    options: { out: { type: 'string' } },
    async run(context, values) {
      const text = nginxAllowlist(context.config.adminAllowedCidrs);
      if (typeof values.out !== 'string') {
        process.stdout.write(text);
        return;
      }
      writeAtomically(resolve(values.out), text);
      context.logger.info(
        { file: resolve(values.out), ranges: context.config.adminAllowedCidrs?.length ?? 'any' },
        'nginx allow-list written; reload nginx (nginx -t && nginx -s reload)',
      );
    },
  },
  'check:deploy': {
    description: 'List settings that are unsafe for production (exit code 1 when any error).',
    async run(context) {
      const findings = checkDeploy(context.config, process.env);
      console.log(formatFindings(findings));
      if (findings.some((finding) => finding.severity === 'error')) process.exitCode = 1;
    },
  },
};
