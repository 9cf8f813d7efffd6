import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

describe('serving the SPA', () => {
  const dist = mkdtempSync(join(tmpdir(), 'bastion-web-'));
  let t: TestApp;
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>Bastion</title><div id="app"></div>',
    );
    writeFileSync(join(dist, 'assets', 'index-3f2a9c.js'), 'console.log(1)');
    // As the build writes them (apps/web/build/precompress.ts): .br and .gz beside the file.
    const script = Buffer.from(`export const greeting = ${JSON.stringify('hello '.repeat(500))};`);
    writeFileSync(join(dist, 'assets', 'app-9b1c2d.js'), script);
    writeFileSync(join(dist, 'assets', 'app-9b1c2d.js.br'), brotliCompressSync(script));
    writeFileSync(join(dist, 'assets', 'app-9b1c2d.js.gz'), gzipSync(script));
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    mkdirSync(join(dist, '.vite'));
    writeFileSync(join(dist, '.vite', 'manifest.json'), '{}');
    t = await createTestApp({ env: { SERVE_WEB: 'true', WEB_DIST_DIR: dist } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache and the strict CSP', async () => {
    const response = await t.app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("script-src 'self';");
  });

  it('falls back to index.html for history-mode routes', async () => {
    for (const url of ['/leads', '/admin/users/42', '/profile?tab=sessions']) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<div id="app">');
    }
  });

  it('caches hashed assets for a year and revalidates other files', async () => {
    const asset = await t.app.inject({ url: '/assets/index-3f2a9c.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await t.app.inject({ url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers missing files and unknown API paths with a JSON 404, not the app', async () => {
    for (const url of ['/assets/gone-123.js', '/api/unknown', '/api']) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });

  describe('precompressed assets', () => {
    const url = '/assets/app-9b1c2d.js';
    const plain = `export const greeting = ${JSON.stringify('hello '.repeat(500))};`;

    it('sends brotli to a browser that accepts it, gzip to one that accepts only gzip', async () => {
      const br = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.statusCode).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length);
      expect(br.rawPayload.length).toBeLessThan(plain.length / 10);
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain);

      const gz = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(Number(gz.headers['content-length'])).toBe(gz.rawPayload.length);
      expect(gunzipSync(gz.rawPayload).toString()).toBe(plain);
      // Each variant is a different representation: its own validator.
      expect(gz.headers.etag).toBeTruthy();
      expect(gz.headers.etag).not.toBe(br.headers.etag);
    });

    it('sends the plain file, still varying on Accept-Encoding, to a client that accepts neither', async () => {
      for (const headers of [{}, { 'accept-encoding': 'identity' }]) {
        const response = await t.app.inject({ url, headers });
        expect(response.headers['content-encoding']).toBeUndefined();
        expect(response.headers.vary).toMatch(/accept-encoding/i);
        expect(response.body).toBe(plain);
        expect(Number(response.headers['content-length'])).toBe(plain.length);
      }
    });

    it('answers HEAD, conditional and range requests for the chosen variant', async () => {
      const headers = { 'accept-encoding': 'br' };
      const full = await t.app.inject({ url, headers });
      const head = await t.app.inject({ method: 'HEAD', url, headers });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers['content-encoding']).toBe('br');
      expect(head.headers['content-length']).toBe(full.headers['content-length']);
      expect(head.headers.etag).toBe(full.headers.etag);

      const cached = await t.app.inject({
        url,
        headers: { ...headers, 'if-none-match': String(full.headers.etag) },
      });
      expect(cached.statusCode).toBe(304);

      const range = await t.app.inject({ url, headers: { ...headers, range: 'bytes=0-9' } });
      expect(range.statusCode).toBe(206);
      expect(range.headers['content-range']).toBe(`bytes 0-9/${full.rawPayload.length}`);
      expect(range.rawPayload).toEqual(full.rawPayload.subarray(0, 10));
    });

    it('never serves the compressed siblings or the build manifest by name', async () => {
      for (const path of [`${url}.br`, `${url}.gz`, '/.vite/manifest.json']) {
        const response = await t.app.inject({ url: path });
        expect(response.statusCode, path).toBe(404);
      }
    });
  });
});
