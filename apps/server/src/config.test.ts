import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, mailSender, secretWeakness } from './config.js';
import { formatCidr } from './http/ops-allowlist.js';

const strongSecret = 'k3Y-9f8s7d6a5s4d3f2g1h0j-QWERTYUIOP-zxcvbnm';
const production = {
  NODE_ENV: 'production',
  SECRET_KEY: strongSecret,
  DATABASE_URL: 'postgres://bastion@db:5432/bastion',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('accepts a complete production environment', () => {
    const config = loadConfig(production);
    expect(config.isProduction).toBe(true);
    expect(config.secretKey).toBe(strongSecret);
    expect(config.logFormat).toBe('json');
  });

  it('refuses to start in production without SECRET_KEY', () => {
    const problems = problemsOf({ ...production, SECRET_KEY: '' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SECRET_KEY is missing/);
  });

  it('refuses a production SECRET_KEY shorter than 32 characters', () => {
    expect(problemsOf({ ...production, SECRET_KEY: 'short-but-varied-0123456789' })[0]).toMatch(
      /^SECRET_KEY is too short \(27 characters/,
    );
  });

  it('refuses a long but predictable production SECRET_KEY', () => {
    expect(problemsOf({ ...production, SECRET_KEY: 'changeme'.repeat(6) })[0]).toMatch(
      /^SECRET_KEY is too predictable/,
    );
  });

  it('refuses to start in production without DATABASE_URL, naming the variable', () => {
    expect(problemsOf({ ...production, DATABASE_URL: '' })).toEqual([
      expect.stringMatching(/^DATABASE_URL is missing/),
    ]);
  });

  it('reports every malformed variable by name', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'PORT',
    ]);
  });

  it('needs nothing in development: embedded database, generated secret, port 8000', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(8000);
    expect(secretWeakness(config.secretKey)).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:8000');
  });

  it('parses lists, flags and proxy hops', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      SERVE_WEB: 'no',
      TRUST_PROXY: '2',
    });
    expect(config.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.serveWeb).toBe(false);
    expect(config.trustProxy).toBe(2);
  });

  it('takes the mail sender name from ORGANIZATION_NAME unless MAIL_FROM names one', () => {
    expect(loadConfig({}).organizationName).toBeUndefined();
    expect(loadConfig({ ORGANIZATION_NAME: '  Exit Three ' }).organizationName).toBe('Exit Three');
    expect(mailSender(undefined, undefined)).toBe('"Bastion" <no-reply@localhost>');
    expect(mailSender('hi@exit3.example', 'Exit Three')).toBe('"Exit Three" <hi@exit3.example>');
    expect(mailSender('Sales <sales@exit3.example>', 'Exit Three')).toBe(
      'Sales <sales@exit3.example>',
    );
    expect(mailSender(undefined, 'The "Quoted" Co')).toBe(
      '"The \\"Quoted\\" Co" <no-reply@localhost>',
    );
    expect(problemsOf({ ORGANIZATION_NAME: 'x'.repeat(101) })[0]).toMatch(/^ORGANIZATION_NAME/);
  });

  it('reads ADMIN_ALLOWED_CIDRS (IPv4, IPv6, bare addresses) and names a bad entry', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).adminAllowedCidrs).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test', ADMIN_ALLOWED_CIDRS: '' }).adminAllowedCidrs).toBe(
      undefined,
    );
    const cidrs = loadConfig({
      NODE_ENV: 'test',
      ADMIN_ALLOWED_CIDRS: ' 10.0.0.0/8, 2001:DB8::/32,192.0.2.7 , ::1',
    }).adminAllowedCidrs!;
    expect(cidrs.map(formatCidr)).toEqual([
      '10.0.0.0/8',
      '2001:db8::/32',
      '192.0.2.7/32',
      '::1/128',
    ]);
    const problem = (value: string) => problemsOf({ ADMIN_ALLOWED_CIDRS: value })[0];
    expect(problem('10.0.0.0/8,10.0.0/24')).toBe(
      'ADMIN_ALLOWED_CIDRS: "10.0.0/24" is not an IP address or CIDR range (IPv4 as a.b.c.d, IPv6 without a zone)',
    );
    expect(problem('10.0.0.0/33')).toBe(
      'ADMIN_ALLOWED_CIDRS: "10.0.0.0/33" has a prefix length above 32',
    );
    expect(problem('2001:db8::/129')).toMatch(/"2001:db8::\/129" has a prefix length above 128/);
    expect(problem('10.1.2.3/8')).toBe(
      'ADMIN_ALLOWED_CIDRS: "10.1.2.3/8" has bits set beyond its /8 prefix (did you mean 10.0.0.0/8?)',
    );
    expect(problem('office')).toMatch(/"office" is not an IP address/);
    expect(problem('fe80::1%eth0')).toMatch(/without a zone/);
    expect(problem('10.0.0.0/')).toMatch(/has no prefix length/);
    // `10.1` is 10.0.0.1 to ipaddr.js, but nginx and Traefik refuse it: so does Bastion.
    expect(problem('10.1')).toMatch(/"10.1" is not an IP address/);
    expect(problem(' , ')).toBe(
      'ADMIN_ALLOWED_CIDRS: lists no address; leave it unset to allow every address',
    );
  });
});
