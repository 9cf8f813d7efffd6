import { describe, expect, it } from 'vitest';
import { directoryListing } from './directory-listing.js';
import { context, probe, site } from './test-site.js';

const APACHE =
  '<html><head><title>Index of /</title></head><body><h1>Index of /</h1><ul><li><a href="backup.zip">backup.zip</a></li></ul>';
const PYTHON = '<html><head><title>Directory listing for /</title></head>';
const IIS = '<pre><A HREF="/">[To Parent Directory]</A><br>';

describe('directory-listing', () => {
  it.each([
    ['Apache/nginx', APACHE],
    ['Python http.server', PYTHON],
    ['IIS', IIS],
  ])('fails on the %s listing as the final page', (_name, html) => {
    expect(directoryListing(site({ html }), context)[0]).toMatchObject({
      result: 'directory-listing-enabled',
      pass: false,
      severity: 'medium',
      scoreModifier: -10,
      evidence: 'directory listing at https://example.test/',
    });
  });

  it('finds a listing in a probe body', () => {
    const probes = { '/.git/HEAD': probe('https://example.test/.git/', 200, APACHE, 'text/html') };
    expect(directoryListing(site({ probes }), context)[0]!.evidence).toBe(
      'directory listing at https://example.test/.git/',
    );
  });

  it('passes a page that merely mentions an index', () => {
    expect(
      directoryListing(
        site({ html: '<title>Index of our products</title><p>Index of /docs coming soon</p>' }),
        context,
      )[0],
    ).toMatchObject({
      result: 'directory-listing-not-found',
      pass: true,
    });
  });
});
