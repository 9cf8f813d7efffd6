// The HSTS preload list, read from the committed snapshot (hsts-preload.json). A scan never
// downloads it: `npm run scans:hsts-refresh` rewrites the snapshot from Chromium's list on a
// machine that can reach it. The snapshot keeps only entries that force HTTPS, as
// `{ "host": { "includeSubDomains": boolean } }`.
import { readFileSync } from 'node:fs';

export type PreloadEntries = Record<string, { includeSubDomains: boolean }>;

export const HSTS_SNAPSHOT = new URL('./hsts-preload.json', import.meta.url);

/**
 * A host is preloaded when it is on the list itself, or a parent domain is with
 * includeSubDomains (so www.example.com counts when example.com preloads its subdomains).
 */
export function preloadLookup(entries: PreloadEntries): (host: string) => boolean {
  const list = new Map(Object.entries(entries).map(([host, e]) => [host.toLowerCase(), e]));
  return (host) => {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (list.has(name)) return true;
    const labels = name.split('.');
    for (labels.shift(); labels.length > 0; labels.shift()) {
      if (list.get(labels.join('.'))?.includeSubDomains) return true;
    }
    return false;
  };
}

let loaded: ((host: string) => boolean) | null = null;

/** The snapshot's lookup, read once per process. */
export function loadHstsPreload(file: URL | string = HSTS_SNAPSHOT): (host: string) => boolean {
  if (file === HSTS_SNAPSHOT && loaded) return loaded;
  const lookup = preloadLookup(JSON.parse(readFileSync(file, 'utf8')) as PreloadEntries);
  if (file === HSTS_SNAPSHOT) loaded = lookup;
  return lookup;
}
