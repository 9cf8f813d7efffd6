// Observatory's reading of Content-Security-Policy values, written from its documented rules:
// - a policy shorter than the shortest useful directive ("img-src" less one character) or empty
//   is invalid;
// - directive names are case-insensitive, sources are compared lower-cased;
// - a directive repeated inside one policy makes the policy invalid, except report-uri and
//   report-to, which are only warned about;
// - a `*-src` directive without sources means 'none';
// - within one policy a source that merely extends another (https://a.example/x after
//   https://a.example/) adds nothing and is dropped;
// - with several policies (several headers, comma-separated policies, meta tags) a browser
//   enforces all of them, so a directive present in several policies allows only the sources
//   that every one of them allows; a directive left without sources is 'none'.
// General CSP libraries parse one policy and do not intersect, so this is our own.

export type CspMap = Map<string, Set<string>>;

export class CspParseError extends Error {}

const MIN_POLICY_LENGTH = 'img-src'.length - 1;
const DUPLICATES_ALLOWED = new Set(['report-uri', 'report-to']);
const NOT_IN_META = ['frame-ancestors', 'report-uri', 'sandbox'];
const collator = new Intl.Collator('en');

interface Source {
  value: string;
  policy: number;
  keep: boolean;
}

export interface ParsedCsp {
  directives: CspMap;
  /** report-uri / report-to directives repeated within a policy. */
  duplicates: string[];
}

/** One header value may hold several policies separated by commas (commas cannot occur inside). */
export function splitPolicies(values: string[]): string[] {
  return values.flatMap((value) => value.split(',').map((policy) => policy.trim()));
}

/**
 * A source list entry `a` covers `b` when both name the same thing, or `a` ends in "/" and `b`
 * lies below it (path segments compared after percent-decoding).
 */
function covers(a: string, b: string): boolean {
  if (a.length === 0) return true;
  if (a === '/' && b.length === 0) return true;
  const prefixOnly = a.endsWith('/');
  const partsA = a.split('/');
  const partsB = b.split('/');
  if (partsA.length > partsB.length) return false;
  if (!prefixOnly && partsA.length !== partsB.length) return false;
  if (prefixOnly) partsA.pop();
  try {
    return partsA.every((part, i) => decodeURIComponent(part) === decodeURIComponent(partsB[i]!));
  } catch {
    throw new CspParseError(`Malformed percent-encoding in ${b}`);
  }
}

export function parseCsp(policies: string[]): ParsedCsp {
  const cleaned = policies.map((policy) => policy.replace(/[\r\n]/g, '').trim());
  const duplicates = new Set<string>();
  if (cleaned.length === 0) return { directives: new Map(), duplicates: [] };
  for (const policy of cleaned) {
    if (policy.length < MIN_POLICY_LENGTH) throw new CspParseError(`Invalid policy: "${policy}"`);
  }

  const combined = new Map<string, Source[]>();
  cleaned.forEach((policy, index) => {
    const seen = new Set<string>();
    for (const entry of policy.split(';')) {
      const [rawName, ...rawSources] = entry.trim().split(/\s+/);
      if (!rawName) continue;
      const name = rawName.toLowerCase();
      if (seen.has(name)) {
        if (!DUPLICATES_ALLOWED.has(name)) {
          throw new CspParseError(`Directive ${name} repeated in policy ${index + 1}`);
        }
        duplicates.add(name);
      }
      seen.add(name);

      const first = index === 0;
      const sources: Source[] = rawSources.map((raw) => ({
        value: raw.trim().toLowerCase(),
        policy: index,
        keep: first,
      }));
      if (sources.length === 0 && name.endsWith('-src')) {
        sources.push({ value: "'none'", policy: index, keep: first });
      }
      // In the first policy everything counts; in later ones a source counts only when an
      // earlier policy's source covers it (the intersection), so they start out dropped.
      const list = first ? sources : [...(combined.get(name) ?? []), ...sources];
      list.sort((a, b) => collator.compare(a.value, b.value));
      for (let i = 1; i < list.length; i++) {
        const previous = list[i - 1]!;
        const source = list[i]!;
        if (source.policy === previous.policy && source.value.startsWith(previous.value)) {
          source.keep = false;
        }
        if (source.policy !== previous.policy && covers(previous.value, source.value)) {
          source.keep = true;
        }
      }
      const kept = list.filter((source) => source.keep);
      combined.set(name, kept);
      if (first && cleaned.length > 1) for (const source of kept) source.keep = false;
    }
  });

  const directives: CspMap = new Map();
  for (const [name, sources] of combined) {
    directives.set(
      name,
      sources.length > 0 ? new Set(sources.map((s) => s.value)) : new Set(["'none'"]),
    );
  }
  return { directives, duplicates: [...duplicates] };
}

/** Policies from `<meta http-equiv>`: directives that only work in a header are ignored. */
export function parseCspMeta(policies: string[]): ParsedCsp {
  const parsed = parseCsp(policies);
  for (const name of NOT_IN_META) parsed.directives.delete(name);
  return parsed;
}
