// An exposed /.env hands out the application's configuration: database passwords, API keys.
// It counts only when the body really is KEY=VALUE lines (not an HTML page from a catch-all
// route). The evidence names at most the keys — never a value.
import type { Check } from '../types.js';
import { DOCS, finding, found, looksLikeHtml } from './finding.js';

const TEST = 'exposed-env';
export const ENV_PATH = '/.env';
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/;
const MAX_KEYS = 5;

/** The keys of a dotenv body, or null when it is not one (most lines must be assignments). */
export function envKeys(body: string): string[] | null {
  const lines = body
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  if (lines.length === 0) return null;
  const keys = lines.map((line) => ASSIGNMENT.exec(line)?.[1]).filter((key) => key !== undefined);
  // Quoted multi-line values add lines without `=`; require a clear majority of assignments.
  return keys.length > 0 && keys.length * 2 > lines.length ? keys : null;
}

export const exposedEnv: Check = (site) => {
  const probe = site.probes[ENV_PATH];
  if (!probe) {
    return [
      finding({
        test: TEST,
        result: 'exposed-env-not-tested',
        pass: null,
        severity: 'info',
        description: `${ENV_PATH} was not fetched.`,
        docs: DOCS.metafiles,
      }),
    ];
  }
  const answered = found(site, ENV_PATH);
  const keys = answered && !looksLikeHtml(answered) ? envKeys(answered.body) : null;
  if (answered && keys) {
    const shown = keys.slice(0, MAX_KEYS).join(', ') + (keys.length > MAX_KEYS ? ', …' : '');
    return [
      finding({
        test: TEST,
        result: 'exposed-env-file',
        pass: false,
        severity: 'critical',
        description: 'An environment file is served: it usually holds passwords and API keys.',
        evidence: `${answered.url}: ${keys.length} lines like KEY=… found (keys: ${shown})`,
        recommendation:
          'Block dotfiles on the web server, keep .env outside the web root, and rotate every secret it held.',
        docs: DOCS.metafiles,
        data: { keyCount: keys.length },
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'exposed-env-not-found',
      pass: true,
      severity: 'info',
      description: `${ENV_PATH} is not served.`,
      evidence: `${probe.url} answered ${probe.status}`,
      docs: DOCS.metafiles,
    }),
  ];
};
