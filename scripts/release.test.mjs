import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changelogSection, groupCommits, prepareRelease, sectionOf } from './release.mjs';
import { tagType } from './tag-policy.mjs';

describe('changelog from commits', () => {
  it('groups conventional commits, flags breaking ones, keeps module-prefixed subjects', () => {
    const groups = groupCommits([
      { subject: 'feat(crm): lead tags' },
      { subject: 'fix: login throttle window' },
      { subject: 'feat(api)!: leads list paginates by cursor' },
      { subject: 'refactor: x', body: 'BREAKING CHANGE: WORKER_QUEUES takes q:n pairs' },
      { subject: 'chore: bump eslint' },
      { subject: 'crm: import budgets' },
      { subject: "Merge branch 'web'" },
    ]);
    expect(groups.feat).toEqual(['**crm**: lead tags', '**api**: leads list paginates by cursor']);
    expect(groups.fix).toEqual(['login throttle window']);
    expect(groups.breaking).toEqual([
      '**api**: leads list paginates by cursor',
      'x — WORKER_QUEUES takes q:n pairs',
    ]);
    expect(groups.other).toEqual(['crm: import budgets']);
  });

  it('writes a section per version that can be read back', () => {
    const section = changelogSection('1.2.0', '2026-12-02', [{ subject: 'fix: a' }]);
    expect(section).toContain('## 1.2.0 (2026-12-02)');
    expect(sectionOf(`# Changelog\n\n${section}\n## 1.1.0 (x)\n`, '1.2.0')).toBe(section.trim());
  });
});

describe('npm run release -- <version>, in a temporary clone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-release-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });

  it('bumps, writes the changelog, commits and makes an annotated tag, pushing nothing', () => {
    execFileSync('git', [
      'clone',
      '-q',
      '--depth',
      '30',
      `file://${join(import.meta.dirname, '..')}`,
      dir,
    ]);
    git('config', 'user.name', 't');
    git('config', 'user.email', 't@example.com');
    git('remote', 'remove', 'origin');
    git('commit', '-q', '--allow-empty', '-m', 'feat(jobs): a feature for the test');
    const { tag } = prepareRelease(dir, '9.1.0', '2026-12-02');
    expect(tag).toBe('v9.1.0');
    expect(tagType('v9.1.0', dir)).toBe('tag');
    expect(git('log', '-1', '--format=%s')).toBe('chore(release): 9.1.0\n');
    for (const file of [
      'package.json',
      'apps/server/package.json',
      'packages/contract/package.json',
    ]) {
      expect(JSON.parse(readFileSync(join(dir, file), 'utf8')).version).toBe('9.1.0');
    }
    expect(JSON.parse(readFileSync(join(dir, 'openapi/openapi.json'), 'utf8')).info.version).toBe(
      '9.1.0',
    );
    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
    expect(sectionOf(changelog, '9.1.0')).toContain('- **jobs**: a feature for the test');
    expect(git('status', '--porcelain')).toBe('');
    // An older version than the last release is refused.
    expect(() => prepareRelease(dir, '9.0.0')).toThrow(/not newer/);
  });
});
