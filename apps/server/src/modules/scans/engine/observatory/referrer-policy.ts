// referrer-policy: the header and `<meta name="referrer">` together (the meta tag comes last and
// so wins); the last value a browser recognises is the policy in force.
import type { Check } from '../types.js';
import type { ResultCode } from './results.js';
import { finding, header, pageTags } from './site.js';

const PRIVATE = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
const UNSAFE = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];

export const referrerPolicy: Check = (site) => {
  const values = [header(site.final, 'referrer-policy'), pageTags(site).referrerMeta].filter(
    (v): v is string => v !== null,
  );
  if (values.length === 0) return [finding('referrer-policy-not-implemented', null)];
  const evidence = values.join(', ');
  const policy =
    evidence
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter((v) => PRIVATE.includes(v) || UNSAFE.includes(v))
      .at(-1) ?? '';
  const code: ResultCode = PRIVATE.includes(policy)
    ? 'referrer-policy-private'
    : UNSAFE.includes(policy)
      ? 'referrer-policy-unsafe'
      : 'referrer-policy-header-invalid';
  return [finding(code, evidence, { policy: policy || null })];
};
