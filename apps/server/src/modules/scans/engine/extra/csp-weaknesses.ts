// CSP weaknesses a presence check misses, judged by Google's CSP Evaluator (csp_evaluator): a
// policy that only reports, scripts allowed from anywhere (`*`, `https:`, `data:`), inline script
// without a nonce or hash, `'strict-dynamic'` without a nonce, short nonces, missing object-src
// and base-uri. Its findings are mapped onto ours below; the ones it rates "maybe" (e.g. that
// 'self' could host JSONP) are left out so the score stays about what is certainly wrong.
import type { Finding, FindingSeverity } from '@bastion/contract';
import { Version } from 'csp_evaluator/dist/csp.js';
import { CspEvaluator } from 'csp_evaluator/dist/evaluator.js';
import { Severity, Type, type Finding as EvaluatorFinding } from 'csp_evaluator/dist/finding.js';
import { CspParser } from 'csp_evaluator/dist/parser.js';
import type { Check } from '../types.js';
import { BONUS, DOCS, clip, finding, headerValues } from './finding.js';

const TEST = 'csp-evaluation';
const STRICT_CSP_DOCS = 'https://web.dev/articles/strict-csp';

interface Weakness {
  result: string;
  severity: FindingSeverity;
  description: string;
  recommendation: string;
}

const WEAKNESSES: Record<string, Weakness> = {
  'csp-missing-script-src': {
    result: 'csp-missing-script-src',
    severity: 'high',
    description: 'No script-src or default-src: the policy does not restrict scripts at all.',
    recommendation: "Add script-src with nonces or hashes and 'strict-dynamic'.",
  },
  'csp-script-unsafe-inline': {
    result: 'csp-script-unsafe-inline',
    severity: 'high',
    description:
      "Scripts allow 'unsafe-inline' without a nonce or hash, so injected inline script runs.",
    recommendation:
      "Replace 'unsafe-inline' with nonces or hashes for the inline scripts you need.",
  },
  'csp-script-scheme-source': {
    result: 'csp-script-scheme-source',
    severity: 'high',
    description:
      'Scripts may load from a whole scheme (https:, http: or data:), i.e. from anywhere.',
    recommendation: 'List the script origins you use, or better use nonces with strict-dynamic.',
  },
  'csp-wildcard-source': {
    result: 'csp-wildcard-source',
    severity: 'high',
    description: "A script or object source is '*', which allows any origin.",
    recommendation: "Remove '*' from script-src, object-src and default-src.",
  },
  'csp-script-unsafe-eval': {
    result: 'csp-script-unsafe-eval',
    severity: 'medium',
    description: "Scripts allow 'unsafe-eval', so strings injected into eval() and friends run.",
    recommendation: "Remove 'unsafe-eval'; refactor code that builds scripts from strings.",
  },
  'csp-allowlist-bypass': {
    result: 'csp-allowlist-bypass',
    severity: 'medium',
    description:
      'An allowed origin hosts known JSONP endpoints or script gadgets that bypass the policy.',
    recommendation: "Use nonces or hashes with 'strict-dynamic' instead of an origin allowlist.",
  },
  'csp-http-source': {
    result: 'csp-http-source',
    severity: 'medium',
    description: 'A source is allowed over plain http:, where a network attacker can replace it.',
    recommendation: 'Allow sources over https: only.',
  },
  'csp-nonce-weak': {
    result: 'csp-nonce-weak',
    severity: 'medium',
    description: 'A nonce is too short or uses characters outside base64, so it may be guessed.',
    recommendation: 'Use a fresh random nonce of at least 128 bits (base64) per response.',
  },
  'csp-strict-dynamic-without-nonce': {
    result: 'csp-strict-dynamic-without-nonce',
    severity: 'medium',
    description:
      "'strict-dynamic' is used without a nonce or hash, which blocks every script or relies on fallbacks.",
    recommendation: "Pair 'strict-dynamic' with a nonce or hash on the scripts you load.",
  },
  'csp-missing-object-src': {
    result: 'csp-missing-object-src',
    severity: 'medium',
    description: 'No object-src (or default-src): plugins can be injected and run script.',
    recommendation: "Add object-src 'none'.",
  },
  'csp-missing-base-uri': {
    result: 'csp-missing-base-uri',
    severity: 'low',
    description: 'No base-uri: an injected <base> tag can redirect relative script URLs.',
    recommendation: "Add base-uri 'none' (or 'self').",
  },
  'csp-syntax': {
    result: 'csp-syntax',
    severity: 'low',
    description:
      'The policy has unknown directives, invalid keywords or a missing semicolon, which browsers ignore.',
    recommendation: 'Fix the policy syntax so every directive takes effect.',
  },
};

const SCRIPT_DIRECTIVES = new Set([
  'script-src',
  'script-src-elem',
  'script-src-attr',
  'default-src',
  'object-src',
  'base-uri',
]);

/** Our weakness key for one evaluator finding, or null for the ones we leave out. */
function classify(found: EvaluatorFinding): string | null {
  switch (found.type) {
    case Type.SCRIPT_UNSAFE_INLINE:
      return 'csp-script-unsafe-inline';
    case Type.SCRIPT_UNSAFE_EVAL:
      return 'csp-script-unsafe-eval';
    case Type.PLAIN_URL_SCHEMES:
      return 'csp-script-scheme-source';
    case Type.PLAIN_WILDCARD:
      return 'csp-wildcard-source';
    case Type.SCRIPT_ALLOWLIST_BYPASS:
    case Type.OBJECT_ALLOWLIST_BYPASS:
      return found.severity === Severity.HIGH ? 'csp-allowlist-bypass' : null;
    case Type.SRC_HTTP:
      return SCRIPT_DIRECTIVES.has(found.directive) ? 'csp-http-source' : null;
    case Type.NONCE_LENGTH:
    case Type.NONCE_CHARSET:
      return 'csp-nonce-weak';
    case Type.STRICT_DYNAMIC_NOT_STANDALONE:
      return 'csp-strict-dynamic-without-nonce';
    case Type.MISSING_DIRECTIVES:
      if (found.directive === 'object-src') return 'csp-missing-object-src';
      if (found.directive === 'base-uri') return 'csp-missing-base-uri';
      if (found.directive === 'script-src') return 'csp-missing-script-src';
      return null;
    case Type.MISSING_SEMICOLON:
    case Type.UNKNOWN_DIRECTIVE:
    case Type.INVALID_KEYWORD:
      return 'csp-syntax';
    default:
      return null;
  }
}

/** Each policy a header carries (one header value may hold several, comma-separated). */
function policies(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((policy) => policy.trim())
    .filter((policy) => policy.length > 0);
}

/** The weaknesses of one policy, by key, with the `directive value` pairs that show each. */
export function evaluatePolicy(policy: string): Map<string, string[]> {
  const parsed = new CspParser(policy).csp;
  const weaknesses = new Map<string, string[]>();
  for (const found of new CspEvaluator(parsed, Version.CSP3).evaluate()) {
    const key = classify(found);
    if (!key) continue;
    const evidence = found.value
      ? `${found.directive} ${found.value}`
      : `${found.directive} missing`;
    const list = weaknesses.get(key) ?? [];
    if (!list.includes(evidence)) list.push(evidence);
    weaknesses.set(key, list);
  }
  // The evaluator only flags 'strict-dynamic' without a nonce among its strict-CSP checks; here
  // it is a plain mistake (every script is blocked, or the policy silently falls back), so ask.
  const scriptDirective = parsed.getEffectiveDirective('script-src');
  const scriptSources = parsed.directives[scriptDirective] ?? [];
  if (
    scriptSources.includes("'strict-dynamic'") &&
    !parsed.policyHasScriptNonces() &&
    !parsed.policyHasScriptHashes()
  ) {
    weaknesses.set('csp-strict-dynamic-without-nonce', [`${scriptDirective} 'strict-dynamic'`]);
  }
  // The evaluator asks for base-uri only when the policy relies on nonces or hashes; without it an
  // injected <base> still redirects relative script URLs, so we always ask (at low severity).
  if (!parsed.directives['base-uri'] && !weaknesses.has('csp-missing-base-uri')) {
    weaknesses.set('csp-missing-base-uri', ['base-uri missing']);
  }
  return weaknesses;
}

function isStrict(policy: string): boolean {
  const csp = new CspParser(policy).csp;
  return (
    (csp.policyHasScriptNonces() || csp.policyHasScriptHashes()) && csp.policyHasStrictDynamic()
  );
}

export const cspWeaknesses: Check = (site) => {
  const enforced = [
    ...policies(headerValues(site.final, 'content-security-policy')),
    ...policies(site.httpEquiv['content-security-policy'] ?? []),
  ];
  const reportOnly = policies(headerValues(site.final, 'content-security-policy-report-only'));
  if (enforced.length === 0) {
    if (reportOnly.length > 0) {
      return [
        finding({
          test: TEST,
          result: 'csp-report-only',
          pass: false,
          severity: 'medium',
          description:
            'The only Content Security Policy is report-only: violations are reported, nothing is blocked.',
          evidence: clip(`Content-Security-Policy-Report-Only: ${reportOnly.join(', ')}`),
          recommendation:
            'Once the reports are clean, send the policy as Content-Security-Policy to enforce it.',
          docs: DOCS.cspReportOnly,
        }),
      ];
    }
    return [
      finding({
        test: TEST,
        result: 'csp-not-implemented',
        pass: null,
        severity: 'info',
        description:
          'No Content Security Policy to evaluate (the Observatory test scores its absence).',
        recommendation:
          "Deploy a strict CSP: script nonces with 'strict-dynamic', object-src 'none', base-uri 'none'.",
        docs: STRICT_CSP_DOCS,
      }),
    ];
  }

  // Browsers enforce every policy, so a weakness is real only if no policy closes it.
  const perPolicy = enforced.map(evaluatePolicy);
  const results: Finding[] = [];
  for (const [key, weakness] of Object.entries(WEAKNESSES)) {
    if (!perPolicy.every((weaknesses) => weaknesses.has(key))) continue;
    const evidence = [...new Set(perPolicy.flatMap((weaknesses) => weaknesses.get(key)!))];
    results.push(
      finding({
        test: TEST,
        result: weakness.result,
        pass: false,
        severity: weakness.severity,
        description: weakness.description,
        evidence: clip(evidence.join('; ')),
        recommendation: weakness.recommendation,
        docs: DOCS.csp,
      }),
    );
  }
  if (results.length > 0) return results;
  const strict = enforced.some(isStrict);
  return [
    finding({
      test: TEST,
      result: strict ? 'csp-strict' : 'csp-no-weaknesses-found',
      pass: true,
      severity: 'info',
      scoreModifier: strict ? BONUS : 0,
      description: strict
        ? "The policy is a strict CSP: scripts need a nonce or hash, with 'strict-dynamic'."
        : 'The CSP evaluator found no weakness in the enforced policy.',
      evidence: clip(enforced.join(', ')),
      recommendation: strict
        ? null
        : "Consider a strict CSP (nonces or hashes with 'strict-dynamic').",
      docs: strict ? STRICT_CSP_DOCS : DOCS.csp,
    }),
  ];
};
