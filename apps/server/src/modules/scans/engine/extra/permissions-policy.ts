// Permissions-Policy: which powerful browser features (camera, microphone, geolocation, …) the
// page and the frames it embeds may use. Without it, or with `feature=*`, any embedded
// third-party frame can ask for them. The header is a Structured Fields dictionary (RFC 8941):
// `camera=(), geolocation=(self "https://maps.example")`, where `*` means every origin.
import type { Check } from '../types.js';
import { BONUS, DOCS, clip, finding, header } from './finding.js';

const TEST = 'permissions-policy';

/** Features that reach the user's devices, location or money. */
export const POWERFUL_FEATURES = [
  'camera',
  'microphone',
  'geolocation',
  'display-capture',
  'usb',
  'serial',
  'hid',
  'bluetooth',
  'midi',
  'payment',
  'xr-spatial-tracking',
] as const;

/** The ones a restrictive policy should always name (the bonus needs all three closed). */
const CORE_FEATURES = ['camera', 'microphone', 'geolocation'];

export type Allowlist = { all: boolean; self: boolean; origins: string[] };

/** Split at top-level commas (not inside a quoted string or an inner list). */
function members(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (quoted) {
      if (char === '\\') {
        current += char + (value[++i] ?? '');
        continue;
      }
      if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (quoted || depth !== 0) throw new Error('unbalanced quote or parenthesis');
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

const ITEM = /^(\*|self|src|"[^"]*")$/;

function allowlist(raw: string): Allowlist {
  // Parameters (`;report-to=…`) do not change who is allowed.
  const value = raw.replace(/;[^()"]*$/, '').trim();
  const items = value.startsWith('(')
    ? value.endsWith(')')
      ? value.slice(1, -1).trim().split(/\s+/).filter(Boolean)
      : null
    : [value];
  if (!items || !items.every((item) => ITEM.test(item)))
    throw new Error(`invalid allowlist ${raw}`);
  return {
    all: items.includes('*'),
    self: items.includes('self'),
    origins: items.filter((item) => item.startsWith('"')).map((item) => item.slice(1, -1)),
  };
}

/** Parse a Permissions-Policy value; throws on a syntax error (browsers then ignore the header). */
export function parsePermissionsPolicy(value: string): Record<string, Allowlist> {
  const policy: Record<string, Allowlist> = {};
  for (const member of members(value)) {
    const match = /^([a-z*][a-z0-9_\-.*]*)\s*=\s*(.+)$/.exec(member);
    if (!match) throw new Error(`invalid member ${member}`);
    policy[match[1]!] = allowlist(match[2]!);
  }
  return policy;
}

export const permissionsPolicy: Check = (site) => {
  const value = header(site.final, 'permissions-policy');
  if (value === null) {
    const legacy = header(site.final, 'feature-policy');
    return [
      finding({
        test: TEST,
        result:
          legacy === null
            ? 'permissions-policy-not-implemented'
            : 'permissions-policy-only-feature-policy',
        pass: false,
        severity: 'low',
        description:
          legacy === null
            ? 'No Permissions-Policy header: embedded frames may request camera, microphone, location and more.'
            : 'Only the obsolete Feature-Policy header is sent; current browsers read Permissions-Policy.',
        evidence: legacy === null ? null : clip(`Feature-Policy: ${legacy}`),
        recommendation:
          'Send Permissions-Policy and close the features the site does not use, e.g. `camera=(), microphone=(), geolocation=()`.',
        docs: DOCS.permissionsPolicy,
      }),
    ];
  }
  let policy: Record<string, Allowlist>;
  try {
    policy = parsePermissionsPolicy(value);
  } catch {
    return [
      finding({
        test: TEST,
        result: 'permissions-policy-header-invalid',
        pass: false,
        severity: 'low',
        description: 'The Permissions-Policy header does not parse, so browsers ignore all of it.',
        evidence: clip(value),
        recommendation: 'Write it as a structured dictionary: `camera=(), geolocation=(self)`.',
        docs: DOCS.permissionsPolicy,
      }),
    ];
  }
  const open = POWERFUL_FEATURES.filter((feature) => policy[feature]?.all);
  if (open.length > 0) {
    return [
      finding({
        test: TEST,
        result: 'permissions-policy-powerful-features-open',
        pass: false,
        severity: 'medium',
        description: `Permissions-Policy allows every origin to use ${open.join(', ')}.`,
        evidence: open.map((feature) => `${feature}=*`).join(', '),
        recommendation:
          'Allow powerful features only to `self` or the origins that need them, or close them with `()`.',
        docs: DOCS.permissionsPolicy,
        data: { policy },
      }),
    ];
  }
  const closed = CORE_FEATURES.every((feature) => {
    const list = policy[feature];
    return list !== undefined && !list.all && list.origins.length === 0;
  });
  return [
    finding({
      test: TEST,
      result: closed ? 'permissions-policy-restrictive' : 'permissions-policy-implemented',
      pass: true,
      severity: 'info',
      scoreModifier: closed ? BONUS : 0,
      description: closed
        ? 'Permissions-Policy keeps camera, microphone and geolocation to the site itself at most.'
        : 'Permissions-Policy is set and opens no powerful feature to every origin.',
      evidence: clip(value),
      recommendation: closed
        ? null
        : 'Also name camera, microphone and geolocation, closed with `()` if unused.',
      docs: DOCS.permissionsPolicy,
      data: { policy },
    }),
  ];
};
