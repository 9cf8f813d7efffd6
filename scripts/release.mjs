#!/usr/bin/env node
// `npm run release -- <version>`: prepares a release in the current checkout without pushing:
// bumps every package's version (and the lock file's and the API contract's), writes the
// CHANGELOG.md section from the conventional commits since the previous tag, commits, and makes
// the annotated tag v<version> (annotated: the tag policy moves `latest` only for those).
// Then `git push --follow-tags` is the maintainer's step.
//   node scripts/release.mjs notes <version>   prints that version's CHANGELOG section
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareSemver, parseSemver } from './tag-policy.mjs';

const SECTIONS = [
  ['breaking', 'Breaking changes'],
  ['feat', 'Features'],
  ['fix', 'Fixes'],
  ['perf', 'Performance'],
  ['other', 'Other changes'],
];
// Kept out of the changelog: they change nothing a user of a release sees.
const QUIET = new Set(['chore', 'ci', 'test', 'style', 'build']);
// Conventional types without a section of their own: listed under "other changes".
const CONVENTIONAL = new Set(['refactor', 'docs', 'revert']);

/**
 * Groups commits ({ subject, body }) into changelog sections. Conventional subjects
 * (`type(scope)!: text`) go by type; `!` or a `BREAKING CHANGE:` footer adds the commit to the
 * breaking section; subjects of another form (`crm: …`, this repository's module prefix) are
 * "other changes" rather than lost.
 */
export function groupCommits(commits) {
  const groups = Object.fromEntries(SECTIONS.map(([key]) => [key, []]));
  for (const { subject, body = '' } of commits) {
    if (/^Merge (branch|pull request)/.test(subject) || /^chore\(release\)/.test(subject)) continue;
    const match = /^(\w+)(?:\(([^)]+)\))?(!)?: (.+)$/.exec(subject);
    const type = match?.[1]?.toLowerCase();
    const breaking = Boolean(match?.[3]) || /^BREAKING[ -]CHANGE: /m.test(body);
    const conventional = match && (type in groups || QUIET.has(type) || CONVENTIONAL.has(type));
    const text = conventional ? (match[2] ? `**${match[2]}**: ${match[4]}` : match[4]) : subject;
    if (breaking) {
      const note = /^BREAKING[ -]CHANGE: (.+)$/m.exec(body)?.[1];
      groups.breaking.push(note ? `${text} — ${note}` : text);
    }
    if (type && groups[type] && type !== 'other' && type !== 'breaking') groups[type].push(text);
    else if (!type || !QUIET.has(type)) {
      // A `module: text` subject has no type; the module is the scope.
      if (!breaking || !match) groups.other.push(text);
    }
  }
  return groups;
}

export function changelogSection(version, date, commits) {
  const groups = groupCommits(commits);
  const lines = [`## ${version} (${date})`, ''];
  for (const [key, title] of SECTIONS) {
    if (!groups[key].length) continue;
    lines.push(`### ${title}`, '', ...groups[key].map((item) => `- ${item}`), '');
  }
  if (lines.length === 2) lines.push('No user-facing changes.', '');
  return lines.join('\n');
}

export function insertSection(changelog, section) {
  const header =
    '# Changelog\n\nEvery release of Bastion, newest first, from its conventional commits (`npm run release`).\n\n';
  const body = changelog?.startsWith('# Changelog')
    ? changelog.slice(changelog.indexOf('\n## ') + 1 || changelog.length)
    : '';
  const rest = body.startsWith('## ') ? body : '';
  return `${`${header}${section}\n${rest}`.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export function sectionOf(changelog, version) {
  const start = changelog.indexOf(`## ${version} `);
  if (start < 0) return undefined;
  const next = changelog.indexOf('\n## ', start + 1);
  return changelog.slice(start, next < 0 ? undefined : next).trim();
}

function git(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function lastTag(cwd) {
  try {
    return git(cwd, 'describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*');
  } catch {
    return undefined;
  }
}

function setVersion(file, version) {
  if (!existsSync(file)) return;
  const json = JSON.parse(readFileSync(file, 'utf8'));
  if (file.endsWith('package-lock.json')) {
    json.version = version;
    for (const path of ['', 'packages/contract', 'apps/server', 'apps/web']) {
      if (json.packages?.[path]) json.packages[path].version = version;
    }
  } else if (file.endsWith('openapi.json')) {
    json.info.version = version;
  } else {
    json.version = version;
    // The server depends on the contract at the exact workspace version.
    if (json.dependencies?.['@bastion/contract']) json.dependencies['@bastion/contract'] = version;
  }
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

export function prepareRelease(cwd, versionArg, date = new Date().toISOString().slice(0, 10)) {
  const parsed = parseSemver(versionArg);
  if (!parsed) throw new Error(`not a semver version: ${versionArg}`);
  const version = versionArg.replace(/^v/, '');
  if (git(cwd, 'status', '--porcelain', '--untracked-files=no')) {
    throw new Error('the working tree has uncommitted changes: commit or stash them first');
  }
  const tag = `v${version}`;
  if (git(cwd, 'tag', '--list', tag)) throw new Error(`tag ${tag} exists already`);
  const previous = lastTag(cwd);
  if (previous && compareSemver(version, previous) <= 0) {
    throw new Error(`${version} is not newer than the last release ${previous}`);
  }
  const range = previous ? [`${previous}..HEAD`] : ['HEAD'];
  const log = git(cwd, 'log', '--format=%s%x1f%b%x1e', ...range);
  const commits = log
    .split('\x1e')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [subject, body] = entry.split('\x1f');
      return { subject: subject.trim(), body: (body ?? '').trim() };
    });
  const files = [
    'package.json',
    'package-lock.json',
    'packages/contract/package.json',
    'apps/server/package.json',
    'apps/web/package.json',
    'openapi/openapi.json',
  ];
  for (const file of files) setVersion(join(cwd, file), version);
  const changelogPath = join(cwd, 'CHANGELOG.md');
  const before = existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : '';
  writeFileSync(changelogPath, insertSection(before, changelogSection(version, date, commits)));
  git(cwd, 'add', 'CHANGELOG.md', ...files.filter((file) => existsSync(join(cwd, file))));
  git(cwd, 'commit', '-q', '-m', `chore(release): ${version}`);
  git(cwd, 'tag', '-a', tag, '-m', `Bastion ${version}`);
  return { tag, previous, commits: commits.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [first, second] = process.argv.slice(2);
  const cwd = join(fileURLToPath(import.meta.url), '../..');
  try {
    if (first === 'notes') {
      const section = sectionOf(readFileSync(join(cwd, 'CHANGELOG.md'), 'utf8'), second);
      console.log(section ?? `Bastion ${second}`);
    } else if (first) {
      const { tag, previous, commits } = prepareRelease(cwd, first);
      console.log(
        `prepared ${tag} (${commits} commits since ${previous ?? 'the beginning'}): CHANGELOG.md, versions, annotated tag.\n` +
          `Check with \`git show ${tag}\`, then publish with: git push --follow-tags`,
      );
    } else {
      console.error(
        'usage: npm run release -- <version>   |   node scripts/release.mjs notes <version>',
      );
      process.exit(2);
    }
  } catch (error) {
    console.error(`release: ${error.message}`);
    process.exit(1);
  }
}
