// What the 404 probe's body gives away: a stack trace or a framework's debug page shows code
// paths, versions and sometimes configuration; a framework's default error page at least names
// the framework. Evidence is the name of the pattern, never the page text (it may hold paths or
// secrets).
import type { FindingSeverity } from '@bastion/contract';
import type { Check } from '../types.js';
import { DOCS, finding } from './finding.js';

const TEST = 'error-page-disclosure';

interface Signature {
  name: string;
  pattern: RegExp;
  severity: FindingSeverity;
}

/** Debug pages and stack traces first (medium), then default error pages (low). */
const SIGNATURES: Signature[] = [
  { name: 'Python traceback', pattern: /Traceback \(most recent call last\)/, severity: 'medium' },
  {
    name: 'Django debug page',
    pattern:
      /You(?:'|&#x27;|&#39;)re seeing this error because you have <code>DEBUG = True<\/code>/,
    severity: 'medium',
  },
  {
    name: 'Werkzeug debugger',
    pattern: /Werkzeug Debugger|The debugger caught an exception/,
    severity: 'medium',
  },
  {
    name: 'Node.js stack trace',
    pattern: /\n\s+at [\w$.<>[\] ]+ \((?:file:\/\/)?\/[^)]+:\d+:\d+\)/,
    severity: 'medium',
  },
  {
    name: 'Java stack trace',
    pattern: /(?:java|javax|jakarta)\.[\w.]+(?:Exception|Error)\b[\s\S]{0,200}\n\s*at [\w$.]+\(/,
    severity: 'medium',
  },
  {
    name: '.NET stack trace',
    pattern: /\[\w+Exception[^\]]*\][\s\S]{0,400}System\.|Stack Trace:.*\n?.*System\./,
    severity: 'medium',
  },
  {
    name: 'PHP error',
    pattern: /<b>(?:Fatal error|Warning|Parse error|Notice)<\/b>:.* on line <b>\d+<\/b>/,
    severity: 'medium',
  },
  {
    name: 'Laravel / Ignition error page',
    pattern: /Whoops, looks like something went wrong|ignition-|Illuminate\\/,
    severity: 'medium',
  },
  { name: 'Rails debug page', pattern: /Rails\.root:|<h1>Routing Error<\/h1>/, severity: 'medium' },
  {
    name: 'ASP.NET error page',
    pattern: /Server Error in '[^']*' Application/,
    severity: 'medium',
  },
  { name: 'Spring Whitelabel error page', pattern: /Whitelabel Error Page/, severity: 'low' },
  { name: 'Apache Tomcat error page', pattern: /Apache Tomcat\/\d/, severity: 'low' },
  { name: 'Express default 404', pattern: /<pre>Cannot GET \/[^<]*<\/pre>/, severity: 'low' },
  {
    name: 'server signature with version',
    pattern: /<address>[^<]*\/\d+\.\d+[^<]*Server at [^<]*<\/address>/,
    severity: 'low',
  },
];

export const errorPage: Check = (site) => {
  const probe = site.notFound;
  if (!probe || probe.error !== null) {
    return [
      finding({
        test: TEST,
        result: 'error-page-not-tested',
        pass: null,
        severity: 'info',
        description: 'The 404 probe got no response.',
        docs: DOCS.errorHandling,
      }),
    ];
  }
  const matched = SIGNATURES.filter((signature) => signature.pattern.test(probe.body));
  if (matched.length > 0) {
    const severity = matched.some((signature) => signature.severity === 'medium')
      ? 'medium'
      : 'low';
    const debug = severity === 'medium';
    return [
      finding({
        test: TEST,
        result: debug ? 'error-page-stack-trace' : 'error-page-framework-default',
        pass: false,
        severity,
        description: debug
          ? 'The error page for a missing path shows a stack trace or a debug page.'
          : "The error page for a missing path is a framework's default page, naming the software.",
        evidence: `${probe.url} (${probe.status}): ${matched.map((signature) => signature.name).join(', ')}`,
        recommendation: debug
          ? 'Turn debug mode off in production and serve a generic error page; log the details server-side.'
          : 'Serve your own error pages.',
        docs: DOCS.errorHandling,
        data: { signatures: matched.map((signature) => signature.name), status: probe.status },
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'error-page-generic',
      pass: true,
      severity: 'info',
      description: 'The error page for a missing path shows no stack trace or framework page.',
      evidence: `${probe.url} (${probe.status})`,
      docs: DOCS.errorHandling,
    }),
  ];
};
