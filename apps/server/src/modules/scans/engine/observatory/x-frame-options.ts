// x-frame-options: DENY or SAMEORIGIN, or (better, and winning over the header) a CSP
// frame-ancestors directive. frame-ancestors counts only in a Content-Security-Policy header:
// browsers ignore it in `<meta>` (CSP3; MDN's frame-ancestors page), and Observatory's CSP test
// says so too, although its X-Frame-Options test also accepts it from a meta tag. We follow the
// documented rule (see x-frame-options.test.ts).
import type { Check } from '../types.js';
import { analyseCsp } from './content-security-policy.js';
import type { ResultCode } from './results.js';
import { finding, header } from './site.js';

export const xFrameOptions: Check = (site) => {
  const value = header(site.final, 'x-frame-options');
  let code: ResultCode = 'x-frame-options-not-implemented';
  let evidence = value?.slice(0, 1024) ?? null;
  if (evidence !== null) {
    const xfo = evidence.trim().toLowerCase();
    if (xfo === 'deny' || xfo === 'sameorigin') code = 'x-frame-options-sameorigin-or-deny';
    else if (xfo.startsWith('allow-from')) code = 'x-frame-options-allow-from-origin';
    else code = 'x-frame-options-header-invalid';
  }
  const csp = analyseCsp(site);
  const ancestors = csp.policy ? csp.headerDirectives.get('frame-ancestors') : undefined;
  if (ancestors) {
    code = 'x-frame-options-implemented-via-csp';
    evidence = `frame-ancestors ${[...ancestors].join(' ')}`;
  }
  return [finding(code, evidence)];
};
