// Shared by the checks beyond Observatory: how a finding is built, what each severity costs, and
// the pages the recommendations point to. One table of costs keeps the checks and the rubric in
// score.ts in step: a check picks a severity, the severity fixes the modifier.
import type { Finding, FindingSeverity } from '@bastion/contract';
import type { Hop, Probe, RetrievedSite, TlsInfo } from '../types.js';

/** Score modifier of a failed finding, by severity (see score.ts for the rubric). */
export const PENALTY: Record<FindingSeverity, number> = {
  critical: -40,
  high: -20,
  medium: -10,
  low: -5,
  info: 0,
};

/** What a finding that goes beyond the baseline earns (TLS 1.3, a strict CSP, …). */
export const BONUS = 5;

export const DOCS = {
  tls: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
  tlsDeprecation: 'https://www.rfc-editor.org/rfc/rfc8996',
  certificates: 'https://developer.mozilla.org/en-US/docs/Web/Security/Transport_Layer_Security',
  permissionsPolicy:
    'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Permissions-Policy',
  csp: 'https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html',
  cspReportOnly:
    'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy-Report-Only',
  fingerprinting:
    'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/02-Fingerprint_Web_Server',
  errorHandling: 'https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html',
  metafiles:
    'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information',
  directoryListing:
    'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information',
  securityTxt: 'https://www.rfc-editor.org/rfc/rfc9116',
  mixedContent: 'https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content',
  hsts: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Strict-Transport-Security',
} as const;

export interface FindingInput {
  test: string;
  result: string;
  /** null when the check does not apply (nothing to look at). */
  pass: boolean | null;
  /** Severity of what was found; `info` for passes. */
  severity: FindingSeverity;
  /** Defaults to PENALTY[severity] for a failure and 0 otherwise. */
  scoreModifier?: number;
  description: string;
  evidence?: string | null;
  recommendation?: string | null;
  docs: string;
  data?: Record<string, unknown> | null;
}

export function finding(input: FindingInput): Finding {
  return {
    test: input.test,
    source: 'extra',
    pass: input.pass,
    result: input.result,
    severity: input.severity,
    scoreModifier: input.scoreModifier ?? (input.pass === false ? PENALTY[input.severity] : 0),
    description: input.description,
    evidence: input.evidence ?? null,
    recommendation: input.recommendation ?? null,
    docs: input.docs,
    data: input.data ?? null,
  };
}

/** Every value of a header (lower-case name), in order; [] when absent. */
export function headerValues(hop: Hop | Probe | null | undefined, name: string): string[] {
  return hop?.headers[name.toLowerCase()] ?? [];
}

/** A header as one string (repeated values joined the way Node joins them), or null. */
export function header(hop: Hop | Probe | null | undefined, name: string): string | null {
  const values = headerValues(hop, name);
  return values.length === 0 ? null : values.join(', ');
}

/** Evidence is shown to users and stored: keep it to one short line. */
export function clip(value: string, max = 200): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** The media type of a response, lower-case, without parameters ('' when absent). */
export function mediaType(response: Hop | Probe | null | undefined): string {
  return (header(response, 'content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * The TLS details of the target's own HTTPS endpoint: the first hop of the https chain (later
 * hops may be other hosts a redirect led to), or the version probe's handshake when the server
 * speaks only TLS 1.0/1.1. null when that port answered without TLS.
 */
export function targetTls(site: RetrievedSite): { hop: Hop; tls: TlsInfo } | null {
  const first = site.https.hops[0] ?? site.legacyTls ?? undefined;
  return first?.tls ? { hop: first, tls: first.tls } : null;
}

/** The finding a TLS check returns when there was no certificate to look at. */
export function noTls(test: string, docs: string): Finding {
  return finding({
    test,
    result: `${test}-not-tested`,
    pass: null,
    severity: 'info',
    description: 'No TLS connection to the target was made, so there is no certificate to check.',
    docs,
  });
}

/** A probe that came back 200 with a body, or null (not fetched, failed, or any other status). */
export function found(site: RetrievedSite, path: string): Probe | null {
  const probe = site.probes[path];
  return probe && probe.error === null && probe.status === 200 ? probe : null;
}

/** Bodies that are HTML pages (a catch-all route answering 200 for every path sends one). */
export function looksLikeHtml(probe: Probe): boolean {
  const type = mediaType(probe);
  return (
    type === 'text/html' ||
    type === 'application/xhtml+xml' ||
    /^\s*<(!doctype|html|head|body)/i.test(probe.body)
  );
}
