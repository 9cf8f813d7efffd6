import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareSemver, decide, tagType } from './tag-policy.mjs';

describe('tag policy', () => {
  it.each([
    // tag, annotated?, registry latest, moves latest?
    ['1.2.3', 'tag', '1.2.2', true],
    ['v1.2.3', 'tag', '1.2.2', true],
    ['1.2.3-rc.1', 'tag', '1.2.2', false],
    ['1.3.0-alpha', 'tag', '1.2.2', false],
    ['1.2.1', 'tag', '1.2.2', false],
    ['1.2.2', 'tag', '1.2.2', false],
    ['1.3.0', 'commit', '1.2.2', false],
    ['1.0.0', 'tag', undefined, true],
    ['1.10.0', 'tag', '1.9.9', true],
  ])('%s (%s) with latest %s: moves latest = %s', (tag, type, latest, moves) => {
    const decision = decide({ tag, tagType: type, latest });
    expect(decision.moveLatest).toBe(moves);
    expect(decision.tags.includes('latest')).toBe(moves);
    expect(decision.publish).toBe(true);
  });

  it('publishes official releases under their minor line too, others under their version only', () => {
    expect(decide({ tag: 'v2.0.0', tagType: 'tag', latest: '1.9.0' }).tags).toEqual([
      '2.0.0',
      '2.0',
      'latest',
    ]);
    expect(decide({ tag: '2.0.0-rc.2', tagType: 'tag', latest: '1.9.0' }).tags).toEqual([
      '2.0.0-rc.2',
    ]);
  });

  it('refuses a tag that is not semver', () => {
    expect(decide({ tag: 'nightly', tagType: 'tag', latest: '1.0.0' }).publish).toBe(false);
  });

  it('orders versions the semver way', () => {
    const sorted = [
      '1.0.0',
      '1.0.0-rc.10',
      '1.0.0-alpha',
      '1.0.0-rc.2',
      '0.9.9',
      '1.0.0-alpha.1',
      '1.0.0-beta',
    ].sort(compareSemver);
    expect(sorted).toEqual([
      '0.9.9',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta',
      '1.0.0-rc.2',
      '1.0.0-rc.10',
      '1.0.0',
    ]);
  });

  describe('tag type from git', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-tags-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const git = (...args) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: dir,
      });

    it('tells an annotated tag from a lightweight one', () => {
      git('init', '-q');
      git('commit', '-q', '--allow-empty', '-m', 'init');
      git('tag', '-a', '1.2.3', '-m', 'release 1.2.3');
      git('tag', '1.3.0');
      expect(tagType('1.2.3', dir)).toBe('tag');
      expect(tagType('1.3.0', dir)).toBe('commit');
      expect(
        decide({ tag: '1.3.0', tagType: tagType('1.3.0', dir), latest: '1.2.2' }).moveLatest,
      ).toBe(false);
      expect(
        decide({ tag: '1.2.3', tagType: tagType('1.2.3', dir), latest: '1.2.2' }).moveLatest,
      ).toBe(true);
    });
  });
});
