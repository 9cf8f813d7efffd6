import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_ALLOWED_PORTS,
  parseCidrs,
  parsePorts,
  type Cidr,
  type EgressPolicy,
} from './egress/policy.js';
import { parseAllowedCidrs } from './http/ops-allowlist.js';
import { defaultWebDistDir, repoRoot } from './paths.js';

const require = createRequire(import.meta.url);
const packageVersion = (require('../package.json') as { version: string }).version;

const MIN_SECRET_LENGTH = 32;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/**
 * Every setting Bastion reads, in one place. `.env.example` and the README's configuration
 * table document the same variables; keep the three in step.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  PUBLIC_URL: z.url().optional(),
  SECRET_KEY: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  APP_VERSION: z.string().min(1).default(packageVersion),
  ALLOWED_ORIGINS: commaList.optional(),
  TRUST_PROXY: z.string().optional(),
  ADMIN_ALLOWED_CIDRS: commaList.optional(),
  SERVE_WEB: booleanFlag.default(true),
  WEB_DIST_DIR: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  CRM_SALES_INBOX: z.email().optional(),
  LEADS_CREATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(10),
  LEADS_CREATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(100),
  LEADS_CREATE_LIMIT_WINDOW_S: z.coerce.number().int().min(1).default(3600),
  LEADS_IMPORT_ROWS_PER_USER: z.coerce.number().int().min(1).default(100_000),
  LEADS_IMPORT_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  NEWSLETTER_CONFIRM_TTL_HOURS: z.coerce.number().int().min(1).default(72),
  SCAN_MANUAL_QUOTA: z.coerce.number().int().min(0).default(10),
  SCAN_DEADLINE_S: z.coerce.number().int().min(5).max(600).default(120),
  SCAN_DNS_SERVERS: commaList.optional(),
  // Queue names are checked when a worker starts, against the queues the modules declare.
  WORKER_QUEUES: z
    .string()
    .regex(
      /^\s*[a-z][a-z0-9-]*(:\d+)?\s*(,\s*[a-z][a-z0-9-]*(:\d+)?\s*)*$/,
      'must be a comma list of queue[:concurrency], e.g. default:6,mail:2',
    )
    .optional(),
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(2),
  SESSION_IDLE_TIMEOUT_H: z.coerce.number().positive().default(168),
  SESSION_MAX_AGE_H: z.coerce.number().positive().default(720),
  SIGNUP_ENABLED: booleanFlag.default(true),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  ORGANIZATION_NAME: z.string().trim().min(1).max(100).optional(),
  MAIL_FROM: z.string().trim().min(3).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  AUTH_RATE_LIMIT_PER_15MIN: z.coerce.number().int().min(1).default(30),
  REDIS_KEY_PREFIX: z.string().min(1).default('bastion:'),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_AUTH_URL: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
  GOOGLE_USERINFO_URL: z.url().default('https://openidconnect.googleapis.com/v1/userinfo'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SENTRY_DSN: z.url().optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).default(14),
  PG_BIN_DIR: z.string().min(1).optional(),
  SCAN_ALLOW_CIDRS: commaList.optional(),
  SCAN_ALLOWED_PORTS: z.string().default(DEFAULT_ALLOWED_PORTS),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  host: string;
  port: number;
  publicUrl: string;
  secretKey: string;
  /** Unset means: start the embedded PostgreSQL under `dataDir/postgres`. */
  databaseUrl: string | undefined;
  databasePoolMax: number;
  dataDir: string;
  /**
   * Unset means: the port this data directory used last, else 54329, else the next free one
   * (db/embedded-port.ts). Set, it is used as given, and a busy port is an error.
   */
  embeddedPostgresPort: number | undefined;
  redisUrl: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  version: string;
  allowedOrigins: string[];
  trustProxy: boolean | number | string;
  /**
   * ADMIN_ALLOWED_CIDRS: the client ranges (request.ip, as resolved under TRUST_PROXY) that may
   * reach the admin API, the jobs API and the API docs; unset = any address (roles still apply).
   * See http/ops-allowlist.ts and plugins/ops-allowlist.ts.
   */
  adminAllowedCidrs: Cidr[] | undefined;
  serveWeb: boolean;
  webDistDir: string;
  shutdownTimeoutMs: number;
  /** Where "new lead" mails go (besides the lead's owner); unset sends none. */
  crmSalesInbox: string | undefined;
  /** Leads an API-key client may create per window, per client IP and per key. */
  leadsCreateLimit: { perIp: number; perKey: number; windowMs: number };
  /**
   * CSV imports: rows a signed-in user may import per window of leadsCreateLimit (API keys
   * spend their lead-creation budgets instead), and imports one caller may run at once.
   */
  leadsImportLimit: { rowsPerUser: number; concurrent: number };
  /**
   * Scans: manual scans a user may start per day on targets not yet verified
   * (SCAN_MANUAL_QUOTA), the whole-scan deadline (SCAN_DEADLINE_S), and the DNS servers the
   * TXT-record verification asks (SCAN_DNS_SERVERS; unset = the system's).
   */
  scans: { manualQuota: number; deadlineSeconds: number; dnsServers: string[] | undefined };
  /** Unconfirmed newsletter subscriptions (and their links) expire after this many hours. */
  newsletterConfirmTtlHours: number;
  /**
   * Queues a worker process consumes and how many jobs of each it runs at once; unset = every
   * queue the modules declare, at each module's default concurrency.
   */
  workerQueues: { queue: string; concurrency: number }[] | undefined;
  /** Jobs a worker claims per round trip (raise for many short jobs). */
  workerBatchSize: number;
  /** Sessions end after this long without a request, and after maxAgeMs whatever happens. */
  session: { idleTimeoutMs: number; maxAgeMs: number };
  /** Off = invite-only: only admins (CLI, setup link) create accounts. */
  signupEnabled: boolean;
  /** Unset: mail is only captured in the mail_outbox table (the dev outbox viewer). */
  smtpUrl: string | undefined;
  /** Who runs this Bastion (ORGANIZATION_NAME): page titles, the CRM's wording, mail sender and signature. */
  organizationName: string | undefined;
  /** The `From` of every mail: MAIL_FROM, with ORGANIZATION_NAME as display name when it has none. */
  mailFrom: string;
  /** Requests per minute per client IP, every route (0 = none); login/signup/reset have their own. */
  rateLimitPerMinute: number;
  authRateLimitPer15Min: number;
  /** Prefix of every Redis key Bastion writes (several apps can share one Redis). */
  redisKeyPrefix: string;
  /** Google sign-in; offered when client id and secret are set. Endpoints overridable for tests. */
  google: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    authUrl: string;
    tokenUrl: string;
    userinfoUrl: string;
  };
  /** Bearer token for GET /metrics; unset = no metrics endpoint. */
  metricsToken: string | undefined;
  /** Unset = Sentry is never loaded. */
  sentryDsn: string | undefined;
  /** `db:backup` keeps this many dumps in $DATA_DIR/backups, deleting older ones. */
  backupKeep: number;
  /** Directory of pg_dump/pg_restore; unset = the newest found (see modules/ops/pg-tools.ts). */
  pgBinDir: string | undefined;
  /**
   * What a scan (and any later outbound request to a user's URL) may reach: public addresses
   * only, plus SCAN_ALLOW_CIDRS; ports SCAN_ALLOWED_PORTS. See egress/policy.ts.
   */
  scanEgress: EgressPolicy;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A secret is weak when it is short or has almost no variety ("aaaa…", "changeme" repeated). */
export function secretWeakness(secret: string | undefined): string | undefined {
  if (!secret) return 'is missing';
  if (secret.length < MIN_SECRET_LENGTH) {
    return `is too short (${secret.length} characters; at least ${MIN_SECRET_LENGTH} required)`;
  }
  if (new Set(secret).size < 10) return 'is too predictable (fewer than 10 distinct characters)';
  return undefined;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // a comma list of addresses/CIDRs, as Fastify accepts
}

/** Development convenience: a random secret kept in the data directory so sessions survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'secret-key');
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([
      `DATA_DIR: ${resolve(dataDir)} cannot be used by this user (${code}): give it access, ` +
        `or set DATA_DIR to a directory it owns`,
    ]);
  }
}

/**
 * The sender of Bastion's mail. An explicit display name in MAIL_FROM (`Sales <x@y>`) is kept;
 * a bare address gets the organisation's name, quoted as RFC 5322 wants for any name.
 */
export function mailSender(mailFrom: string | undefined, organizationName: string | undefined) {
  const address = mailFrom ?? 'no-reply@localhost';
  if (address.includes('<')) return address;
  const name = (organizationName ?? 'Bastion').replace(/[\\"]/g, '\\$&');
  return `"${name}" <${address}>`;
}

/** `default:5,mail:2` → one entry per queue; a queue without `:n` runs one job at a time. */
export function parseWorkerQueues(value: string): NonNullable<Config['workerQueues']> {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const [queue, concurrency] = item.split(':');
      return { queue: queue!, concurrency: Math.max(1, Number(concurrency ?? 1)) };
    });
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // `SECRET_KEY=` in a .env file means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';
  const problems: string[] = [];
  if (isProduction) {
    const weakness = secretWeakness(env.SECRET_KEY);
    if (weakness)
      problems.push(`SECRET_KEY ${weakness}; generate one with: openssl rand -base64 48`);
    if (!env.DATABASE_URL) {
      problems.push('DATABASE_URL is missing; production needs an external PostgreSQL');
    }
  }
  let scanEgress: EgressPolicy = { allowCidrs: [], allowedPorts: [] };
  try {
    scanEgress = { ...scanEgress, allowCidrs: parseCidrs(env.SCAN_ALLOW_CIDRS ?? []) };
  } catch (error) {
    problems.push(`SCAN_ALLOW_CIDRS: ${(error as Error).message}`);
  }
  try {
    scanEgress = { ...scanEgress, allowedPorts: parsePorts(env.SCAN_ALLOWED_PORTS) };
  } catch (error) {
    problems.push(`SCAN_ALLOWED_PORTS: ${(error as Error).message}`);
  }
  let adminAllowedCidrs: Cidr[] | undefined;
  try {
    if (env.ADMIN_ALLOWED_CIDRS) adminAllowedCidrs = parseAllowedCidrs(env.ADMIN_ALLOWED_CIDRS);
  } catch (error) {
    problems.push(`ADMIN_ALLOWED_CIDRS: ${(error as Error).message}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = isAbsolute(env.DATA_DIR) ? env.DATA_DIR : resolve(repoRoot, env.DATA_DIR);
  const secretKey =
    env.SECRET_KEY ??
    (env.NODE_ENV === 'test'
      ? 'test-secret-key-0123456789-abcdefghij'
      : developmentSecret(dataDir));

  return {
    env: env.NODE_ENV,
    isProduction,
    host: env.HOST,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    secretKey,
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    dataDir,
    embeddedPostgresPort: env.EMBEDDED_POSTGRES_PORT,
    redisUrl: env.REDIS_URL,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (isProduction || !process.stdout.isTTY ? 'json' : 'pretty'),
    version: env.APP_VERSION,
    allowedOrigins: env.ALLOWED_ORIGINS ?? [],
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    adminAllowedCidrs,
    serveWeb: env.SERVE_WEB,
    webDistDir: env.WEB_DIST_DIR ? resolve(repoRoot, env.WEB_DIST_DIR) : defaultWebDistDir,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    crmSalesInbox: env.CRM_SALES_INBOX,
    leadsCreateLimit: {
      perIp: env.LEADS_CREATE_LIMIT_PER_IP,
      perKey: env.LEADS_CREATE_LIMIT_PER_KEY,
      windowMs: env.LEADS_CREATE_LIMIT_WINDOW_S * 1000,
    },
    leadsImportLimit: {
      rowsPerUser: env.LEADS_IMPORT_ROWS_PER_USER,
      concurrent: env.LEADS_IMPORT_CONCURRENCY,
    },
    scans: {
      manualQuota: env.SCAN_MANUAL_QUOTA,
      deadlineSeconds: env.SCAN_DEADLINE_S,
      dnsServers: env.SCAN_DNS_SERVERS,
    },
    newsletterConfirmTtlHours: env.NEWSLETTER_CONFIRM_TTL_HOURS,
    workerQueues: env.WORKER_QUEUES ? parseWorkerQueues(env.WORKER_QUEUES) : undefined,
    workerBatchSize: env.WORKER_BATCH_SIZE,
    session: {
      idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_H * 3_600_000,
      maxAgeMs: env.SESSION_MAX_AGE_H * 3_600_000,
    },
    signupEnabled: env.SIGNUP_ENABLED,
    smtpUrl: env.SMTP_URL,
    organizationName: env.ORGANIZATION_NAME,
    mailFrom: mailSender(env.MAIL_FROM, env.ORGANIZATION_NAME),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    authRateLimitPer15Min: env.AUTH_RATE_LIMIT_PER_15MIN,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    google: {
      clientId: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      authUrl: env.GOOGLE_AUTH_URL,
      tokenUrl: env.GOOGLE_TOKEN_URL,
      userinfoUrl: env.GOOGLE_USERINFO_URL,
    },
    metricsToken: env.METRICS_TOKEN,
    sentryDsn: env.SENTRY_DSN,
    backupKeep: env.BACKUP_KEEP,
    pgBinDir: env.PG_BIN_DIR,
    scanEgress,
  };
}
