import { secretWeakness, type Config } from '../../config.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  id: string;
  severity: Severity;
  message: string;
  fix: string;
}

/** Values that ship in examples and tutorials; a deployment using one is not secret at all. */
const PLACEHOLDER =
  /replace[-_ ]?me|change[-_ ]?me|changeit|example|placeholder|secret|password|^admin$|^postgres$|^bastion$|^root$|^test$|^123/i;

const isLocalHost = (host: string) => ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host);

function urlPassword(url: string | undefined): { host: string; password: string } | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname, password: decodeURIComponent(parsed.password) };
  } catch {
    return undefined;
  }
}

/**
 * What `npm run cli -- check:deploy` reports: the equivalent of Django's `check --deploy`,
 * for the configuration this process would run with. Errors are unsafe for production as they
 * stand; warnings deserve a look. `env` is the raw environment (to tell a configured secret
 * from a generated one).
 */
export function checkDeploy(config: Config, env: NodeJS.ProcessEnv): Finding[] {
  const findings: Finding[] = [];
  const add = (id: string, severity: Severity, message: string, fix: string) =>
    findings.push({ id, severity, message, fix });

  if (!config.isProduction) {
    add(
      'debug_mode',
      'error',
      `NODE_ENV is "${config.env}": error responses include internal details, session cookies are not Secure and a generated secret may be in use`,
      'set NODE_ENV=production',
    );
  }

  const secretProblem = env.SECRET_KEY
    ? secretWeakness(env.SECRET_KEY)
    : 'is not set (a generated development secret is in use)';
  if (secretProblem) {
    add(
      'weak_secret',
      'error',
      `SECRET_KEY ${secretProblem}`,
      'set SECRET_KEY to the output of: openssl rand -base64 48',
    );
  } else if (PLACEHOLDER.test(env.SECRET_KEY ?? '')) {
    add(
      'weak_secret',
      'error',
      'SECRET_KEY looks like a placeholder from an example',
      'set SECRET_KEY to the output of: openssl rand -base64 48',
    );
  }

  const publicUrl = new URL(config.publicUrl);
  if (publicUrl.protocol !== 'https:') {
    add(
      'no_tls',
      'error',
      `PUBLIC_URL (${config.publicUrl}) is not https: traffic and session cookies travel in clear`,
      'serve Bastion behind a TLS-terminating proxy (Traefik, nginx) and set PUBLIC_URL=https://…',
    );
  }
  if (!config.isProduction || publicUrl.protocol !== 'https:') {
    add(
      'insecure_cookies',
      'error',
      'session cookies are sent without the Secure flag (or over http, where browsers refuse __Host- cookies)',
      'run with NODE_ENV=production and an https PUBLIC_URL',
    );
  }
  if (config.trustProxy === false) {
    add(
      'no_proxy_trust',
      'warning',
      'TRUST_PROXY is off: behind a proxy every client shares the proxy address (rate limits, audit log) and https is not detected',
      'set TRUST_PROXY=1 when exactly one proxy is in front (TRUST_PROXY=2 for two)',
    );
  } else if (config.trustProxy === true) {
    add(
      'trust_any_proxy',
      'warning',
      'TRUST_PROXY=true believes X-Forwarded-For from anyone who can reach the port: client addresses can be forged',
      'set a hop count (TRUST_PROXY=1) or the proxy addresses instead',
    );
  }
  if (!config.adminAllowedCidrs) {
    add(
      'operator_surfaces_open',
      'warning',
      'ADMIN_ALLOWED_CIDRS is unset: the admin API, the jobs API and the API docs answer any address (roles still guard them)',
      'set ADMIN_ALLOWED_CIDRS to the office/VPN ranges, e.g. 203.0.113.0/24,2001:db8:ad::/48 (docs/security.md)',
    );
  } else if (config.adminAllowedCidrs.some(([, bits]) => bits === 0)) {
    add(
      'operator_surfaces_open',
      'warning',
      'ADMIN_ALLOWED_CIDRS allows every address (a /0 range)',
      'list only the office/VPN ranges that need the admin API, jobs API and API docs',
    );
  }

  if (config.allowedOrigins.includes('*')) {
    add(
      'any_origin',
      'error',
      'ALLOWED_ORIGINS contains "*": any site may call the API with credentials',
      'list the exact origins',
    );
  } else if (config.allowedOrigins.length === 0) {
    add(
      'no_allowed_origins',
      'warning',
      `ALLOWED_ORIGINS is empty: only ${publicUrl.origin} may make cross-origin calls (fine when the web app is served from PUBLIC_URL)`,
      'set ALLOWED_ORIGINS to the other origins that call the API, if any',
    );
  }
  const plainOrigins = config.allowedOrigins.filter((origin) => origin.startsWith('http://'));
  if (plainOrigins.length > 0) {
    add(
      'plain_http_origin',
      'warning',
      `ALLOWED_ORIGINS has plain-http origins: ${plainOrigins.join(', ')}`,
      'use https origins',
    );
  }

  if (!config.databaseUrl) {
    add(
      'embedded_database',
      'error',
      'DATABASE_URL is unset: the embedded PostgreSQL is for development',
      'point DATABASE_URL at a managed or dedicated PostgreSQL',
    );
  }
  const database = urlPassword(config.databaseUrl);
  if (
    database &&
    (config.isProduction || !isLocalHost(database.host)) &&
    (!database.password || PLACEHOLDER.test(database.password))
  ) {
    add(
      'default_database_password',
      'error',
      database.password
        ? 'DATABASE_URL uses a default or example password'
        : 'DATABASE_URL has no password',
      'give the database user a random password (openssl rand -hex 24)',
    );
  }
  const redis = urlPassword(config.redisUrl);
  if (
    redis &&
    (config.isProduction || !isLocalHost(redis.host)) &&
    (!redis.password || PLACEHOLDER.test(redis.password))
  ) {
    add(
      'default_redis_password',
      'error',
      redis.password ? 'REDIS_URL uses a default or example password' : 'REDIS_URL has no password',
      'set requirepass on Redis and put it in REDIS_URL (redis://:password@host:6379)',
    );
  }

  const metricsToken = config.metricsToken;
  if (metricsToken) {
    if (
      metricsToken.length < 32 ||
      new Set(metricsToken).size < 10 ||
      PLACEHOLDER.test(metricsToken)
    ) {
      add(
        'weak_metrics_token',
        'error',
        'METRICS_TOKEN is short or guessable: /metrics would be open to anyone who guesses it',
        'set METRICS_TOKEN to the output of: openssl rand -hex 32',
      );
    }
    if (metricsToken === env.SECRET_KEY) {
      add(
        'metrics_token_is_secret',
        'error',
        'METRICS_TOKEN equals SECRET_KEY: whoever scrapes metrics holds the signing key',
        'use a separate random METRICS_TOKEN',
      );
    }
  }

  if (config.isProduction && ['debug', 'trace'].includes(config.logLevel)) {
    add(
      'verbose_logs',
      'warning',
      `LOG_LEVEL=${config.logLevel} in production logs more than needed`,
      'use LOG_LEVEL=info',
    );
  }
  if (!config.smtpUrl) {
    add(
      'no_smtp',
      'warning',
      'SMTP_URL is unset: mails (verification, password reset) are only written to the outbox table',
      'set SMTP_URL=smtps://user:password@smtp.example.com:465',
    );
  }
  return findings;
}

/** Human-readable report, errors first. */
export function formatFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'check:deploy: no issues found.';
  const sorted = [...findings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  const lines = sorted.map(
    (finding) =>
      `${finding.severity.toUpperCase().padEnd(7)} ${finding.id}: ${finding.message}\n        fix: ${finding.fix}`,
  );
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return `${lines.join('\n')}\n\ncheck:deploy: ${errors} error(s), ${findings.length - errors} warning(s).`;
}
