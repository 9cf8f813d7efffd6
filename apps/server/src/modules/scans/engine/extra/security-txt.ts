// security.txt (RFC 9116): where researchers report vulnerabilities. It must be at
// /.well-known/security.txt (the root /security.txt is a legacy fallback), served over HTTPS,
// name at least one Contact and exactly one Expires date in the future; the RFC recommends an
// Expires less than a year ahead so stale contacts age out.
import type { Check, Probe } from '../types.js';
import { DOCS, finding, found, looksLikeHtml } from './finding.js';

const TEST = 'security-txt';
export const SECURITY_TXT_PATHS = ['/.well-known/security.txt', '/security.txt'] as const;
const YEAR_MS = 365 * 86_400_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Field name (lower-case) → values, in order. Handles the OpenPGP cleartext signature wrapper. */
export function parseSecurityTxt(body: string): Record<string, string[]> {
  let lines = body.split(/\r?\n/);
  const begin = lines.findIndex((line) => line.trim() === '-----BEGIN PGP SIGNED MESSAGE-----');
  if (begin >= 0) {
    // Armor headers ("Hash: …") run to the first empty line; the signature block ends the text.
    const blank = lines.findIndex((line, index) => index > begin && line.trim() === '');
    const end = lines.findIndex((line) => line.trim() === '-----BEGIN PGP SIGNATURE-----');
    lines = lines
      .slice(blank + 1, end < 0 ? undefined : end)
      .map((line) => line.replace(/^- /, ''));
  }
  const fields: Record<string, string[]> = {};
  for (const line of lines) {
    if (line.trim().startsWith('#')) continue;
    const match = /^([A-Za-z0-9-]+):\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const name = match[1]!.toLowerCase();
    (fields[name] ??= []).push(match[2]!);
  }
  return fields;
}

interface Problem {
  result: string;
  message: string;
}

export const securityTxt: Check = (site, context) => {
  let probe: Probe | null = null;
  let path: string | null = null;
  for (const candidate of SECURITY_TXT_PATHS) {
    const answered = found(site, candidate);
    if (answered && !looksLikeHtml(answered)) {
      probe = answered;
      path = candidate;
      break;
    }
  }
  if (!probe || !path) {
    const tested = SECURITY_TXT_PATHS.some((candidate) => site.probes[candidate]);
    return [
      finding({
        test: TEST,
        result: tested ? 'security-txt-not-implemented' : 'security-txt-not-tested',
        pass: tested ? false : null,
        severity: tested ? 'low' : 'info',
        description: tested
          ? 'No security.txt: researchers who find a vulnerability have no published way to report it.'
          : 'security.txt was not fetched.',
        recommendation: tested
          ? 'Publish /.well-known/security.txt with a Contact and an Expires date less than a year ahead.'
          : null,
        docs: DOCS.securityTxt,
      }),
    ];
  }

  const fields = parseSecurityTxt(probe.body);
  const contacts = fields.contact ?? [];
  const expires = fields.expires ?? [];
  const problems: Problem[] = [];
  if (probe.url.startsWith('http:')) {
    problems.push({
      result: 'security-txt-http-only',
      message: 'It is served over http only; RFC 9116 requires HTTPS.',
    });
  }
  if (contacts.length === 0) {
    problems.push({ result: 'security-txt-contact-missing', message: 'It has no Contact field.' });
  } else if (contacts.some((contact) => !/^(mailto:|tel:|https:\/\/)/i.test(contact))) {
    problems.push({
      result: 'security-txt-contact-invalid',
      message: 'A Contact is not a mailto:, tel: or https:// URI.',
    });
  }
  let expiresAt: Date | null = null;
  if (expires.length !== 1 || !RFC3339.test(expires[0]!) || Number.isNaN(Date.parse(expires[0]!))) {
    problems.push({
      result: 'security-txt-expires-invalid',
      message:
        expires.length === 0
          ? 'It has no Expires field.'
          : expires.length > 1
            ? 'It has more than one Expires field.'
            : 'Its Expires is not an RFC 3339 date-time.',
    });
  } else {
    expiresAt = new Date(expires[0]!);
    if (expiresAt.getTime() <= context.now.getTime()) {
      problems.push({
        result: 'security-txt-expired',
        message: `It expired on ${expiresAt.toISOString()}.`,
      });
    }
  }
  const data = {
    path,
    contacts,
    expires: expiresAt?.toISOString() ?? null,
    problems: problems.map((p) => p.result),
  };
  const legacy = path === '/security.txt';

  if (problems.length > 0) {
    return [
      finding({
        test: TEST,
        result: problems[0]!.result,
        pass: false,
        severity: 'low',
        description: `security.txt is published but not valid: ${problems.map((p) => p.message).join(' ')}`,
        evidence: `${probe.url}${expires[0] ? ` (Expires: ${expires[0].slice(0, 40)})` : ''}`,
        recommendation:
          'Serve /.well-known/security.txt over HTTPS with at least one Contact and exactly one Expires (RFC 3339, less than a year ahead).',
        docs: DOCS.securityTxt,
        data,
      }),
    ];
  }
  const farOff = expiresAt !== null && expiresAt.getTime() - context.now.getTime() > YEAR_MS;
  const advice = [
    farOff ? 'Set Expires less than a year ahead, so a stale file ages out.' : null,
    legacy ? 'Move it to /.well-known/security.txt (the root location is only a fallback).' : null,
  ].filter((line) => line !== null);
  return [
    finding({
      test: TEST,
      result: farOff ? 'security-txt-expires-over-a-year' : 'security-txt-valid',
      pass: true,
      severity: 'info',
      description: `security.txt is published with a Contact and a future Expires${farOff ? ', more than a year ahead' : ''}.`,
      evidence: `${probe.url} (Expires: ${expires[0]})`,
      recommendation: advice.length > 0 ? advice.join(' ') : null,
      docs: DOCS.securityTxt,
      data,
    }),
  ];
};
