// x-content-type-options: only "nosniff" stops browsers from guessing content types.
import type { Check } from '../types.js';
import { finding, header } from './site.js';

export const xContentTypeOptions: Check = (site) => {
  const value = header(site.final, 'x-content-type-options');
  if (value === null) return [finding('x-content-type-options-not-implemented', null)];
  const seen = value.slice(0, 256);
  return [
    finding(
      seen.trim().toLowerCase() === 'nosniff'
        ? 'x-content-type-options-nosniff'
        : 'x-content-type-options-header-invalid',
      seen,
    ),
  ];
};
