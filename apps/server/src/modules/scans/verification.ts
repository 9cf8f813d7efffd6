import { Resolver } from 'node:dns/promises';
import type { Config } from '../../config.js';
import { egressRequest, type EgressPolicy } from '../../egress/index.js';

// Proof that whoever registered a target controls the site: the target's token published in one
// of three places. Every fetch goes through the egress client, so a target URL pointing at an
// internal address cannot turn verification into a probe of the internal network.

export type ProofMethod = 'file' | 'dns' | 'meta';
export const PROOF_METHODS: readonly ProofMethod[] = ['file', 'dns', 'meta'];

export interface ProofCheck {
  method: ProofMethod;
  ok: boolean;
  detail: string;
}

export const VERIFICATION_FILE = '/.well-known/bastion-verification.txt';
export const TXT_PREFIX = 'bastion-verification=';
const TIMEOUT_MS = 10_000;
/** A verification file or page larger than this is not read further. */
const MAX_BYTES = 256 * 1024;

export interface VerifyOptions {
  policy: EgressPolicy;
  /** DNS servers (`host` or `host:port`); unset: the system's. */
  dnsServers?: string[] | undefined;
  signal?: AbortSignal;
}

export function verifyOptions(config: Config, signal?: AbortSignal): VerifyOptions {
  return {
    policy: config.scanEgress,
    dnsServers: config.scans.dnsServers,
    ...(signal ? { signal } : {}),
  };
}

async function fetchText(url: string, options: VerifyOptions) {
  const response = await egressRequest(url, {
    policy: options.policy,
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BYTES,
    oversize: 'truncate',
    headers: { 'user-agent': 'Bastion-Verification/1' },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { status: response.status, body: response.body.toString('utf8') };
}

async function checkFile(target: URL, token: string, options: VerifyOptions): Promise<ProofCheck> {
  const url = new URL(VERIFICATION_FILE, target.origin).toString();
  const { status, body } = await fetchText(url, options);
  if (status !== 200) return { method: 'file', ok: false, detail: `${url} answered ${status}.` };
  // The file may hold several tokens (several registrations of one site), one a line.
  const found = body.split(/\r?\n/).some((line) => line.trim() === token);
  return {
    method: 'file',
    ok: found,
    detail: found ? `Token found in ${url}.` : `${url} does not contain the token.`,
  };
}

async function checkDns(target: URL, token: string, options: VerifyOptions): Promise<ProofCheck> {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (options.dnsServers?.length) resolver.setServers(options.dnsServers);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  let records: string[][];
  try {
    records = await resolver.resolveTxt(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { method: 'dns', ok: false, detail: `No TXT record for ${host} (${code}).` };
  }
  // A long TXT value arrives in 255-byte chunks: join them back.
  const found = records.some((chunks) => chunks.join('') === `${TXT_PREFIX}${token}`);
  return {
    method: 'dns',
    ok: found,
    detail: found
      ? `TXT record found on ${host}.`
      : `No TXT record "${TXT_PREFIX}…" with the token on ${host}.`,
  };
}

/** `<meta name="bastion-verification" content="…">`, attributes in either order, any quotes. */
export function metaTokens(html: string): string[] {
  const tokens: string[] = [];
  for (const [tag] of html.matchAll(/<meta\b[^>]*>/gi)) {
    const attributes = new Map<string, string>();
    for (const match of tag.matchAll(/([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
      attributes.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '');
    }
    if (attributes.get('name')?.toLowerCase() === 'bastion-verification') {
      tokens.push((attributes.get('content') ?? '').trim());
    }
  }
  return tokens;
}

async function checkMeta(target: URL, token: string, options: VerifyOptions): Promise<ProofCheck> {
  const url = target.toString();
  const { status, body } = await fetchText(url, options);
  if (status !== 200) return { method: 'meta', ok: false, detail: `${url} answered ${status}.` };
  const found = metaTokens(body).includes(token);
  return {
    method: 'meta',
    ok: found,
    detail: found
      ? `Meta tag found on ${url}.`
      : `No bastion-verification meta tag with the token on ${url}.`,
  };
}

const checks = { file: checkFile, dns: checkDns, meta: checkMeta };

/**
 * Checks the given methods in turn and stops at the first that proves ownership. A method that
 * fails to connect (refused address, timeout) counts as not proven, with the reason.
 */
export async function checkOwnership(
  targetUrl: string,
  token: string,
  methods: readonly ProofMethod[],
  options: VerifyOptions,
): Promise<ProofCheck[]> {
  const target = new URL(targetUrl);
  const results: ProofCheck[] = [];
  for (const method of methods) {
    try {
      results.push(await checks[method](target, token, options));
    } catch (error) {
      results.push({ method, ok: false, detail: (error as Error).message });
    }
    if (results.at(-1)!.ok) break;
  }
  return results;
}
