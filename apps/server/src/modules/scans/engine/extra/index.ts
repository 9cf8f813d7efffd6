// The checks beyond Observatory (scored separately by scoreExtra; see ../../README.md).
import type { Check } from '../types.js';
import { cspWeaknesses } from './csp-weaknesses.js';
import { directoryListing } from './directory-listing.js';
import { errorPage } from './error-page.js';
import { exposedEnv } from './exposed-env.js';
import { exposedGit } from './exposed-git.js';
import { hstsEveryHop } from './hsts-every-hop.js';
import { mixedContent } from './mixed-content.js';
import { permissionsPolicy } from './permissions-policy.js';
import { securityTxt } from './security-txt.js';
import { serverStatus } from './server-status.js';
import { tlsCertificateChain } from './tls-chain.js';
import { tlsCertificateExpiry } from './tls-expiry.js';
import { tlsHostname } from './tls-hostname.js';
import { tlsKey } from './tls-key.js';
import { tlsProtocols } from './tls-protocols.js';
import { tlsSignatureAlgorithm } from './tls-signature.js';
import { versionHeaders } from './version-headers.js';

export { scoreExtra } from './score.js';

/**
 * Paths the retriever fetches on the final origin for these checks (`site.probes[path]`), plus
 * the 404 probe it always makes.
 */
export const EXTRA_PROBE_PATHS = [
  '/.git/HEAD',
  '/.env',
  '/server-status',
  '/.well-known/security.txt',
  '/security.txt',
] as const;

export const extraChecks: Check[] = [
  tlsProtocols,
  tlsCertificateChain,
  tlsHostname,
  tlsCertificateExpiry,
  tlsKey,
  tlsSignatureAlgorithm,
  permissionsPolicy,
  cspWeaknesses,
  versionHeaders,
  errorPage,
  directoryListing,
  exposedGit,
  exposedEnv,
  serverStatus,
  securityTxt,
  mixedContent,
  hstsEveryHop,
];
