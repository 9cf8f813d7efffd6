import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHstsPreload, preloadLookup } from './hsts-preload.js';
import { parseChromiumList } from './hsts-refresh.js';

describe('HSTS preload list', () => {
  it('matches a host itself or a parent that includes subdomains', () => {
    const isPreloaded = preloadLookup({
      'a.test': { includeSubDomains: true },
      'b.test': { includeSubDomains: false },
    });
    expect(['a.test', 'x.y.a.test', 'B.TEST', 'b.test.'].map(isPreloaded)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['x.b.test', 'c.test', 'test', 'aa.test'].map(isPreloaded)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads a snapshot file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hsts-')), 'list.json');
    writeFileSync(file, JSON.stringify({ 'c.test': { includeSubDomains: true } }));
    const isPreloaded = loadHstsPreload(file);
    expect([isPreloaded('www.c.test'), isPreloaded('d.test')]).toEqual([true, false]);
  });

  it('the committed snapshot has the preloaded TLDs', () => {
    const isPreloaded = loadHstsPreload();
    expect([
      isPreloaded('example.dev'),
      isPreloaded('example.app'),
      isPreloaded('example.org'),
    ]).toEqual([true, true, false]);
  });

  it("the refresh keeps Chromium's force-https entries only", () => {
    const text = [
      '// comment line',
      '{ "entries": [',
      '  { "name": "A.test", "policy": "custom", "mode": "force-https", "include_subdomains": true },',
      '  // another comment',
      '  { "name": "pinned.test", "policy": "custom", "pins": "google" },',
      '  { "name": "b.test", "policy": "custom", "mode": "force-https" }',
      '] }',
    ].join('\n');
    expect(parseChromiumList(text)).toEqual({
      'a.test': { includeSubDomains: true },
      'b.test': { includeSubDomains: false },
    });
  });
});
