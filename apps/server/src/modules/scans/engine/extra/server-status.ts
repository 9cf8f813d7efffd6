// Apache's mod_status page (/server-status) shows every request being served — client
// addresses, URLs with their query strings (tokens included) — plus the exact server version.
// nginx's stub_status, when mounted there, shows less (connection counts) and rates lower.
import type { Check } from '../types.js';
import { DOCS, finding, found } from './finding.js';

const TEST = 'server-status';
export const SERVER_STATUS_PATH = '/server-status';

export function statusPage(body: string): 'apache' | 'nginx' | null {
  if (
    /Apache Server Status for/i.test(body) ||
    (/Server Version:/.test(body) && /Scoreboard|Current Time:/.test(body))
  ) {
    return 'apache';
  }
  if (/^Active connections:\s*\d+/m.test(body) && /server accepts handled requests/.test(body))
    return 'nginx';
  return null;
}

export const serverStatus: Check = (site) => {
  const probe = site.probes[SERVER_STATUS_PATH];
  if (!probe) {
    return [
      finding({
        test: TEST,
        result: 'server-status-not-tested',
        pass: null,
        severity: 'info',
        description: `${SERVER_STATUS_PATH} was not fetched.`,
        docs: DOCS.fingerprinting,
      }),
    ];
  }
  const answered = found(site, SERVER_STATUS_PATH);
  const kind = answered ? statusPage(answered.body) : null;
  if (answered && kind) {
    return [
      finding({
        test: TEST,
        result: kind === 'apache' ? 'server-status-exposed' : 'server-status-nginx-exposed',
        pass: false,
        severity: kind === 'apache' ? 'high' : 'low',
        description:
          kind === 'apache'
            ? "Apache's server-status page is public: it shows live requests, client addresses and the server version."
            : "nginx's stub_status is public: it shows connection counts.",
        evidence: `${answered.url} answered 200 with a${kind === 'apache' ? 'n Apache' : ' nginx'} status page`,
        recommendation:
          'Allow the status page from the monitoring host only (`Require ip …` / `allow …; deny all;`).',
        docs: DOCS.fingerprinting,
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'server-status-not-found',
      pass: true,
      severity: 'info',
      description: `${SERVER_STATUS_PATH} is not public.`,
      evidence: `${probe.url} answered ${probe.status}`,
      docs: DOCS.fingerprinting,
    }),
  ];
};
