import { describe, expect, it } from 'vitest';
import { resultOf, type SiteSpec } from './test-site.js';
import { subresourceIntegrity } from './subresource-integrity.js';

const page = (scripts: string, extra: SiteSpec = {}) =>
  resultOf(subresourceIntegrity, {
    ...extra,
    html: `<!doctype html><html><head>${scripts}</head></html>`,
  });
const INTEGRITY = 'integrity="sha384-abc" crossorigin="anonymous"';

describe('subresource-integrity', () => {
  it('not HTML, or no scripts: passes', () => {
    expect(
      page('<script src="https://cdn.example.net/a.js"></script>', {
        contentType: 'application/json',
      }).result,
    ).toBe('sri-not-implemented-response-not-html');
    expect(page('').result).toBe('sri-not-implemented-but-no-scripts-loaded');
  });

  it('own scripts only: passes; with integrity over HTTPS: +5', () => {
    expect(
      page(
        '<script src="/app.js"></script><script src="https://static.site.obs.test/b.js"></script><script>1</script>',
      ).result,
    ).toBe('sri-not-implemented-but-all-scripts-loaded-from-secure-origin');
    const f = page(`<script src="/app.js" ${INTEGRITY}></script>`);
    expect([f.result, f.scoreModifier]).toEqual([
      'sri-implemented-and-all-scripts-loaded-securely',
      5,
    ]);
  });

  it('scripts from other sites: +5 with integrity over HTTPS, -5 without integrity', () => {
    const good = page(`<script src="https://cdn.example.net/a.js" ${INTEGRITY}></script>`);
    expect([good.result, good.scoreModifier]).toEqual([
      'sri-implemented-and-external-scripts-loaded-securely',
      5,
    ]);
    const bare = page('<script src="https://cdn.example.net/a.js"></script>');
    expect([bare.result, bare.pass, bare.scoreModifier, bare.evidence]).toEqual([
      'sri-not-implemented-but-external-scripts-loaded-securely',
      false,
      -5,
      'https://cdn.example.net/a.js',
    ]);
  });

  it('other sites over HTTP or protocol-relative: -20 with integrity, -50 without', () => {
    expect(page(`<script src="http://cdn.example.net/a.js" ${INTEGRITY}></script>`).result).toBe(
      'sri-implemented-but-external-scripts-not-loaded-securely',
    );
    const f = page('<script src="//cdn.example.net/a.js"></script>');
    expect([f.result, f.scoreModifier, f.severity]).toEqual([
      'sri-not-implemented-and-external-scripts-not-loaded-securely',
      -50,
      'critical',
    ]);
    // Protocol-relative counts as foreign even on the page's own host.
    expect(page('<script src="//site.obs.test/a.js"></script>').result).toBe(
      'sri-not-implemented-and-external-scripts-not-loaded-securely',
    );
  });

  it('the worst script decides', () => {
    expect(
      page(
        `<script src="https://cdn.example.net/a.js" ${INTEGRITY}></script><script src="http://cdn.example.net/b.js"></script>`,
      ).result,
    ).toBe('sri-not-implemented-and-external-scripts-not-loaded-securely');
  });
});
