import { describe, expect, it } from 'vitest';
import { insecureReferences, mixedContent } from './mixed-content.js';
import { context, hop, site, withFinalHeaders } from './test-site.js';

const page = (body: string) =>
  `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;
const check = (body: string, values: Record<string, string> = {}) =>
  mixedContent(withFinalHeaders(values, page(body)), context)[0]!;

describe('insecureReferences', () => {
  it('classifies active and passive references', () => {
    const html = page(`
      <script src="http://cdn.test/a.js"></script>
      <link rel="stylesheet" href="HTTP://cdn.test/a.css">
      <iframe src="http://frame.test/"></iframe>
      <form action="http://example.test/login"></form>
      <object data="http://cdn.test/x.swf"></object>
      <img src="http://img.test/a.png" srcset="https://img.test/b.png 2x, http://img.test/c.png 3x">
      <video src="http://v.test/a.mp4" poster="http://v.test/p.jpg"></video>
      <script src="https://cdn.test/ok.js"></script>
      <script src="//cdn.test/relative.js"></script>
      <a href="http://elsewhere.test/">a link is not loaded</a>
      <link rel="canonical" href="http://example.test/">`);
    expect(
      insecureReferences(html).map((r) => `${r.kind} ${r.tag} ${r.attribute} ${r.url}`),
    ).toEqual([
      'active script src http://cdn.test/a.js',
      'active link href HTTP://cdn.test/a.css',
      'active iframe src http://frame.test/',
      'active form action http://example.test/login',
      'active object data http://cdn.test/x.swf',
      'passive img src http://img.test/a.png',
      'passive img srcset http://img.test/c.png',
      'passive video src http://v.test/a.mp4',
      'passive video poster http://v.test/p.jpg',
    ]);
  });
});

describe('mixed-content', () => {
  it('fails active mixed content at high severity', () => {
    expect(
      check('<script src="http://cdn.test/a.js"></script><img src="http://img.test/a.png">'),
    ).toMatchObject({
      result: 'mixed-content-active',
      pass: false,
      severity: 'high',
      scoreModifier: -20,
      evidence: '<script src="http://cdn.test/a.js">',
      data: { active: 1, passive: 1 },
    });
  });

  it('fails passive mixed content at low severity', () => {
    expect(check('<img src="http://img.test/a.png">')).toMatchObject({
      result: 'mixed-content-passive',
      pass: false,
      severity: 'low',
      scoreModifier: -5,
    });
  });

  it('counts an http <base> as active: relative scripts follow it', () => {
    expect(check('<base href="http://example.test/"><script src="/app.js"></script>').result).toBe(
      'mixed-content-active',
    );
  });

  it('passes a clean page', () => {
    expect(
      check('<script src="/app.js"></script><img src="https://img.test/a.png">'),
    ).toMatchObject({
      result: 'mixed-content-none',
      pass: true,
      evidence: null,
    });
  });

  it('passes when CSP upgrades insecure requests', () => {
    const finding = check('<script src="http://cdn.test/a.js"></script>', {
      'content-security-policy': "default-src 'self'; upgrade-insecure-requests",
    });
    expect(finding).toMatchObject({
      result: 'mixed-content-upgraded',
      pass: true,
      scoreModifier: 0,
    });
  });

  it('shows at most five references', () => {
    const body = Array.from(
      { length: 7 },
      (_, i) => `<script src="http://cdn.test/${i}.js"></script>`,
    ).join('');
    expect(check(body).evidence).toMatch(/\(\+2 more\)$/);
  });

  it('does not apply to an http page', () => {
    const final = hop('http://example.test/');
    const result = mixedContent(
      site({ final, html: page('<script src="http://cdn.test/a.js"></script>') }),
      context,
    );
    expect(result[0]).toMatchObject({ result: 'mixed-content-not-applicable', pass: null });
  });
});
