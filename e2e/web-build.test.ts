import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

// The production build as `npm start` serves it (`npm test` builds it first when stale).
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'web', 'dist');

/** The compressed JavaScript budget of one page, whichever encoding the browser gets. */
const FIRST_PAGE_JS_BUDGET = 100 * 1024;

interface ManifestChunk {
  file: string;
  name?: string;
  src?: string;
  imports?: string[];
}
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** What index.html makes the browser fetch before any code runs: its module script + preloads. */
function indexHtmlScripts(): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script type="module"[^>]*\ssrc="\/([^"]+)"/g)];
  const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]*\shref="\/([^"]+)"/g)];
  return [...scripts, ...preloads].map((match) => match[1]!);
}

/** A page chunk and every chunk it imports statically (what must arrive before it renders). */
function staticClosure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key]?.imports ?? []) staticClosure(imported, seen);
  return seen;
}

function pageScripts(pageSource: string): string[] {
  const files = new Set(indexHtmlScripts());
  for (const key of staticClosure(pageSource)) files.add(manifest[key]!.file);
  return [...files];
}

const compressedSize = (file: string) =>
  Math.max(statSync(join(dist, `${file}.br`)).size, statSync(join(dist, `${file}.gz`)).size);

describe('the production build of the web app', () => {
  it('has a brotli and a gzip sibling, with the same content, for every JS and CSS file', () => {
    const assets = filesUnder(join(dist, 'assets')).filter((path) => /\.(?:js|css)$/.test(path));
    expect(assets.length).toBeGreaterThan(10);
    for (const path of [...assets, join(dist, 'index.html')]) {
      expect(existsSync(`${path}.br`), `${path}.br`).toBe(true);
      expect(existsSync(`${path}.gz`), `${path}.gz`).toBe(true);
      const plain = readFileSync(path);
      expect(brotliDecompressSync(readFileSync(`${path}.br`)).equals(plain), path).toBe(true);
      expect(gunzipSync(readFileSync(`${path}.gz`)).equals(plain), path).toBe(true);
    }
  });

  it.each([
    ['landing', 'src/pages/HomePage.vue'],
    ['sign-in', 'src/pages/auth/LoginPage.vue'],
    ['sign-up', 'src/pages/auth/SignupPage.vue'],
  ])('keeps the %s page within the first-page JavaScript budget', (_page, source) => {
    expect(manifest[source], source).toBeDefined();
    const files = pageScripts(source);
    const total = files.reduce((sum, file) => sum + compressedSize(file), 0);
    expect(total, files.join(', ')).toBeLessThanOrEqual(FIRST_PAGE_JS_BUDGET);
  });

  it('loads no chart library and no staff or admin code on the landing page', () => {
    for (const file of pageScripts('src/pages/HomePage.vue')) {
      const chunk = Object.values(manifest).find((entry) => entry.file === file);
      expect(chunk?.src ?? '', file).not.toMatch(/pages\/(?:admin|crm|jobs)\//);
      // A string only chart.js's core contains.
      expect(readFileSync(join(dist, file), 'utf8'), file).not.toContain(
        'Canvas is already in use',
      );
    }
  });

  describe('served', () => {
    let server: RunningServer;
    let browser: Browser;
    beforeAll(async () => {
      [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('answers Chromium with Content-Encoding: br for the page and every script and style', async () => {
      const page = await openPage(browser);
      const encodings = new Map<string, string | undefined>();
      page.on('response', (response) => {
        const path = new URL(response.url()).pathname;
        if (path === '/' || path.startsWith('/assets/')) {
          encodings.set(path, response.headers()['content-encoding']);
        }
      });
      await page.goto(server.baseUrl, { waitUntil: 'networkidle' });
      expect(encodings.size).toBeGreaterThan(2);
      for (const [path, encoding] of encodings) expect(encoding, path).toBe('br');
      await page.context().close();
    });

    it('answers a client that accepts no encoding with the plain files', async () => {
      for (const file of ['', ...indexHtmlScripts()]) {
        const response = await fetch(`${server.baseUrl}/${file}`, {
          headers: { 'accept-encoding': 'identity' },
        });
        expect(response.status, file).toBe(200);
        expect(response.headers.get('content-encoding'), file).toBeNull();
        expect(response.headers.get('vary'), file).toMatch(/accept-encoding/i);
        const expected = readFileSync(join(dist, file || 'index.html'));
        expect(Buffer.from(await response.arrayBuffer()).equals(expected), file).toBe(true);
      }
    });
  });
});
