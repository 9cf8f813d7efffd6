// cross-origin-embedder-policy: require-corp or credentialless stop the page from loading
// cross-origin resources that did not opt in (with credentials).
import type { Check } from '../types.js';
import type { ResultCode } from './results.js';
import { finding } from './site.js';
import { policyToken } from './structured-token.js';

const CODES: Record<string, ResultCode> = {
  'require-corp': 'coep-implemented-with-require-corp',
  credentialless: 'coep-implemented-with-credentialless',
  'unsafe-none': 'coep-implemented-with-unsafe-none',
};

export const crossOriginEmbedderPolicy: Check = (site) => {
  const values = site.final?.headers['cross-origin-embedder-policy'] ?? [];
  if (values.length === 0 || !values[0]) return [finding('coep-not-implemented', null)];
  // Sent twice, the values join into one list, which is not a single item: invalid.
  const value = values.join(', ').slice(0, 1024).trim();
  const token = policyToken(value);
  return [finding((token && CODES[token]) || 'coep-header-invalid', value)];
};
