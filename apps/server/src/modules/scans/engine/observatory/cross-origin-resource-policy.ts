// cross-origin-resource-policy: same-origin or same-site keep the page's resources out of other
// sites' documents. Observatory reads the header only (a meta tag cannot set it).
import type { Check } from '../types.js';
import type { ResultCode } from './results.js';
import { finding, header } from './site.js';

const CODES: Record<string, ResultCode> = {
  'same-site': 'corp-implemented-with-same-site',
  'same-origin': 'corp-implemented-with-same-origin',
  'cross-origin': 'corp-implemented-with-cross-origin',
};

export const crossOriginResourcePolicy: Check = (site) => {
  const value = header(site.final, 'cross-origin-resource-policy');
  if (!value) return [finding('corp-not-implemented', null)];
  const policy = value.slice(0, 256).trim().toLowerCase();
  return [finding(CODES[policy] ?? 'corp-header-invalid', value)];
};
