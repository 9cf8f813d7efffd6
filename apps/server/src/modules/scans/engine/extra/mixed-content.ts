// Mixed content: an HTTPS page that loads resources over plain http:. Browsers block active
// mixed content (scripts, styles, frames, plugins) and a form posting to http: sends its data in
// the clear; passive content (images, audio, video) is auto-upgraded or shown with a warning, and
// can still be read or swapped on the network. CSP `upgrade-insecure-requests` fixes both.
import { Parser } from 'htmlparser2';
import type { Check } from '../types.js';
import { DOCS, clip, finding, headerValues } from './finding.js';

const TEST = 'mixed-content';
const MAX_EVIDENCE = 5;

interface Reference {
  kind: 'active' | 'passive';
  tag: string;
  attribute: string;
  url: string;
}

const isHttp = (url: string) => /^\s*http:/i.test(url);

/** The http: URLs a page loads or submits to, from its tags. */
export function insecureReferences(html: string): Reference[] {
  const found: Reference[] = [];
  const add = (
    kind: Reference['kind'],
    tag: string,
    attribute: string,
    value: string | undefined,
  ) => {
    if (value !== undefined && isHttp(value))
      found.push({ kind, tag, attribute, url: value.trim() });
  };
  const srcset = (tag: string, value: string | undefined) => {
    for (const candidate of (value ?? '').split(','))
      add('passive', tag, 'srcset', candidate.trim().split(/\s+/)[0]);
  };
  const parser = new Parser(
    {
      onopentag(tag, attributes) {
        switch (tag) {
          case 'script':
          case 'iframe':
          case 'frame':
          case 'embed':
            add('active', tag, 'src', attributes.src);
            break;
          case 'object':
            add('active', tag, 'data', attributes.data);
            break;
          case 'link': {
            const rel = (attributes.rel ?? '').toLowerCase().split(/\s+/);
            if (
              rel.includes('stylesheet') ||
              rel.includes('modulepreload') ||
              rel.includes('preload')
            ) {
              add('active', tag, 'href', attributes.href);
            } else if (rel.includes('icon')) add('passive', tag, 'href', attributes.href);
            break;
          }
          case 'form':
            add('active', tag, 'action', attributes.action);
            break;
          case 'base':
            // Every relative URL of the page resolves against it: scripts included.
            add('active', tag, 'href', attributes.href);
            break;
          case 'img':
          case 'source':
            add('passive', tag, 'src', attributes.src);
            srcset(tag, attributes.srcset);
            break;
          case 'audio':
          case 'video':
          case 'track':
            add('passive', tag, 'src', attributes.src);
            if (tag === 'video') add('passive', tag, 'poster', attributes.poster);
            break;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

export const mixedContent: Check = (site) => {
  if (!site.final || !site.final.url.startsWith('https:') || site.html === null) {
    return [
      finding({
        test: TEST,
        result: 'mixed-content-not-applicable',
        pass: null,
        severity: 'info',
        description: 'The final page is not an HTML page served over HTTPS.',
        docs: DOCS.mixedContent,
      }),
    ];
  }
  const references = insecureReferences(site.html);
  const csp = [
    ...headerValues(site.final, 'content-security-policy'),
    ...(site.httpEquiv['content-security-policy'] ?? []),
  ];
  const upgraded = csp.some((policy) =>
    /(^|[;,\s])upgrade-insecure-requests(\s|;|,|$)/i.test(policy),
  );
  const active = references.filter((reference) => reference.kind === 'active');
  const data = {
    active: active.length,
    passive: references.length - active.length,
    upgradeInsecureRequests: upgraded,
  };
  const evidence = (list: Reference[]) =>
    clip(
      list
        .slice(0, MAX_EVIDENCE)
        .map((reference) => `<${reference.tag} ${reference.attribute}="${reference.url}">`)
        .join(' ') + (list.length > MAX_EVIDENCE ? ` (+${list.length - MAX_EVIDENCE} more)` : ''),
      400,
    );
  if (references.length === 0 || upgraded) {
    return [
      finding({
        test: TEST,
        result: references.length === 0 ? 'mixed-content-none' : 'mixed-content-upgraded',
        pass: true,
        severity: 'info',
        description:
          references.length === 0
            ? 'The page loads nothing over plain http:.'
            : 'The page references http: URLs, but its CSP upgrades them (upgrade-insecure-requests).',
        evidence: references.length === 0 ? null : evidence(references),
        recommendation: references.length === 0 ? null : 'Change the references to https: as well.',
        docs: DOCS.mixedContent,
        data,
      }),
    ];
  }
  const recommendation =
    'Load every resource over https:, or add `upgrade-insecure-requests` to the Content-Security-Policy.';
  if (active.length > 0) {
    return [
      finding({
        test: TEST,
        result: 'mixed-content-active',
        pass: false,
        severity: 'high',
        description:
          'The HTTPS page loads scripts, styles, frames or posts forms over plain http:.',
        evidence: evidence(active),
        recommendation,
        docs: DOCS.mixedContent,
        data,
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'mixed-content-passive',
      pass: false,
      severity: 'low',
      description: 'The HTTPS page loads images or media over plain http:.',
      evidence: evidence(references),
      recommendation,
      docs: DOCS.mixedContent,
      data,
    }),
  ];
};
