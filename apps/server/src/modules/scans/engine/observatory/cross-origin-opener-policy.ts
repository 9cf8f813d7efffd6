// cross-origin-opener-policy: same-origin, same-origin-allow-popups or noopener-allow-popups
// isolate the page from cross-origin windows that open it or that it opens.
import type { Check } from '../types.js';
import type { ResultCode } from './results.js';
import { finding } from './site.js';
import { policyToken } from './structured-token.js';

const CODES: Record<string, ResultCode> = {
  'same-origin': 'coop-implemented-with-same-origin',
  'same-origin-allow-popups': 'coop-implemented-with-same-origin-allow-popups',
  'noopener-allow-popups': 'coop-implemented-with-noopener-allow-popups',
  'unsafe-none': 'coop-implemented-with-unsafe-none',
};

export const crossOriginOpenerPolicy: Check = (site) => {
  const values = site.final?.headers['cross-origin-opener-policy'] ?? [];
  if (values.length === 0 || !values[0]) return [finding('coop-not-implemented', null)];
  // Sent twice, the values join into one list, which is not a single item: invalid.
  const value = values.join(', ').slice(0, 1024).trim();
  const token = policyToken(value);
  return [finding((token && CODES[token]) || 'coop-header-invalid', value)];
};
