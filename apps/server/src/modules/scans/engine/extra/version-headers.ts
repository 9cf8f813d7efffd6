// Server / X-Powered-By / X-AspNet-Version with version numbers tell an attacker exactly which
// known vulnerabilities to try. Product names alone are common and harmless enough to pass.
import type { Check } from '../types.js';
import { DOCS, clip, finding, headerValues } from './finding.js';

const TEST = 'server-version-headers';

const HEADERS = [
  'server',
  'x-powered-by',
  'x-aspnet-version',
  'x-aspnetmvc-version',
  'x-generator',
  'x-runtime-version',
];
const DISPLAY: Record<string, string> = {
  server: 'Server',
  'x-powered-by': 'X-Powered-By',
  'x-aspnet-version': 'X-AspNet-Version',
  'x-aspnetmvc-version': 'X-AspNetMvc-Version',
  'x-generator': 'X-Generator',
  'x-runtime-version': 'X-Runtime-Version',
};

/** A version number: `1.2`, `/1`, `PHP/8.1.2`, `v18`. */
const VERSION = /(?:\/|\bv)\d+|\d+\.\d+/i;

export const versionHeaders: Check = (site) => {
  // The 404 probe often comes from a different layer (the framework rather than the proxy).
  const responses = [site.final, site.notFound].filter((response) => response !== null);
  const seen = new Map<string, string>();
  for (const response of responses) {
    for (const name of HEADERS) {
      for (const value of headerValues(response, name))
        seen.set(`${DISPLAY[name]}: ${value}`, name);
    }
  }
  const all = [...seen.keys()];
  const versioned = all.filter((line) => VERSION.test(line.slice(line.indexOf(':') + 1)));
  if (versioned.length > 0) {
    return [
      finding({
        test: TEST,
        result: 'server-version-disclosed',
        pass: false,
        severity: 'low',
        description:
          'Response headers name software versions, which tells attackers which exploits to try.',
        evidence: clip(versioned.join('; ')),
        recommendation:
          'Remove version numbers from Server and drop X-Powered-By / X-AspNet-Version (e.g. `server_tokens off`, `ServerTokens Prod`, `app.disable("x-powered-by")`).',
        docs: DOCS.fingerprinting,
        data: { headers: all },
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: all.length > 0 ? 'server-product-only' : 'server-headers-absent',
      pass: true,
      severity: 'info',
      description:
        all.length > 0
          ? 'Software is named without a version.'
          : 'No Server, X-Powered-By or X-AspNet-Version header is sent.',
      evidence: all.length > 0 ? clip(all.join('; ')) : null,
      docs: DOCS.fingerprinting,
      data: { headers: all },
    }),
  ];
};
