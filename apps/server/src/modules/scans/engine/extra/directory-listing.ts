// A directory listing ("Index of /") lets anyone browse files never meant to be linked: backups,
// uploads, configuration. Looked for on the final page and every probe body.
import type { Check } from '../types.js';
import { DOCS, finding } from './finding.js';

const TEST = 'directory-listing';

const LISTING = [
  /<title>\s*Index of \//i, // Apache, nginx autoindex
  /<title>\s*Directory listing for \//i, // Python http.server
  /\[To Parent Directory\]/, // IIS
  /<h1>\s*Index of \//i,
];

export function isListing(body: string): boolean {
  return LISTING.some((pattern) => pattern.test(body));
}

export const directoryListing: Check = (site) => {
  const pages: { url: string; body: string }[] = [];
  if (site.final && site.html) pages.push({ url: site.final.url, body: site.html });
  if (site.notFound) pages.push(site.notFound);
  for (const probe of Object.values(site.probes)) if (probe.status === 200) pages.push(probe);
  const listed = pages.filter((page) => isListing(page.body)).map((page) => page.url);
  if (listed.length > 0) {
    return [
      finding({
        test: TEST,
        result: 'directory-listing-enabled',
        pass: false,
        severity: 'medium',
        description: 'The server lists directory contents.',
        evidence: `directory listing at ${[...new Set(listed)].join(', ')}`,
        recommendation:
          'Turn off automatic indexes (`Options -Indexes`, `autoindex off`) and serve an index page or 403.',
        docs: DOCS.directoryListing,
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'directory-listing-not-found',
      pass: true,
      severity: 'info',
      description: 'No directory listing was seen.',
      docs: DOCS.directoryListing,
    }),
  ];
};
