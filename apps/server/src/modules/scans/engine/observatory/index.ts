// The Observatory part of a scan: MDN HTTP Observatory's 12 tests (algorithm version 6), one
// file each, and its grading. Names are fixed by the scans plan (engine/scan.ts imports them).
import type { Check } from '../types.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { cookies } from './cookies.js';
import { crossOriginEmbedderPolicy } from './cross-origin-embedder-policy.js';
import { crossOriginOpenerPolicy } from './cross-origin-opener-policy.js';
import { crossOriginResourcePolicy } from './cross-origin-resource-policy.js';
import { crossOriginResourceSharing } from './cross-origin-resource-sharing.js';
import { redirection } from './redirection.js';
import { referrerPolicy } from './referrer-policy.js';
import { strictTransportSecurity } from './strict-transport-security.js';
import { subresourceIntegrity } from './subresource-integrity.js';
import { xContentTypeOptions } from './x-content-type-options.js';
import { xFrameOptions } from './x-frame-options.js';

/** In the order of the contract's OBSERVATORY_TESTS. */
export const observatoryChecks: Check[] = [
  contentSecurityPolicy,
  cookies,
  crossOriginResourceSharing,
  redirection,
  referrerPolicy,
  strictTransportSecurity,
  subresourceIntegrity,
  xContentTypeOptions,
  xFrameOptions,
  crossOriginResourcePolicy,
  crossOriginOpenerPolicy,
  crossOriginEmbedderPolicy,
];

export { ALGORITHM_VERSION, gradeFor, scoreObservatory } from './score.js';
export { loadHstsPreload } from './hsts-preload.js';
export { RESULTS, type ResultCode } from './results.js';
