// `npm run scans:hsts-refresh`: rewrite hsts-preload.json from Chromium's preload list, on a
// machine that can reach it. Scans only ever read the committed snapshot.
// The committed snapshot was made offline and holds only TLDs known to be preloaded whole
// (.app, .dev, …); run this where the source is reachable to get the full list (~150k hosts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HSTS_SNAPSHOT, type PreloadEntries } from './hsts-preload.js';

const SOURCE =
  'https://chromium.googlesource.com/chromium/src/+/main/net/http/transport_security_state_static.json?format=TEXT';

interface ChromiumEntry {
  name: string;
  mode?: string;
  include_subdomains?: boolean;
}

/** Chromium's file is JSON with `//` comment lines; the gitiles TEXT format is base64 of it. */
export function parseChromiumList(text: string): PreloadEntries {
  const json = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  const { entries } = JSON.parse(json) as { entries: ChromiumEntry[] };
  const out: PreloadEntries = {};
  for (const entry of entries) {
    if (entry.mode !== 'force-https') continue;
    out[entry.name.toLowerCase()] = { includeSubDomains: entry.include_subdomains === true };
  }
  return out;
}

async function main(): Promise<void> {
  const response = await fetch(SOURCE, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`${SOURCE}: HTTP ${response.status}`);
  const text = Buffer.from(await response.text(), 'base64').toString('utf8');
  const entries = parseChromiumList(text);
  const count = Object.keys(entries).length;
  if (count < 1000) throw new Error(`Only ${count} entries: refusing to write a truncated list.`);
  writeFileSync(HSTS_SNAPSHOT, `${JSON.stringify(entries)}\n`);
  console.log(`Wrote ${count} preloaded hosts to ${fileURLToPath(HSTS_SNAPSHOT)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
