#!/usr/bin/env node
// Which image tags a git tag publishes, and whether it moves `latest`.
//   node scripts/tag-policy.mjs <git-tag> [--image ghcr.io/owner/bastion] [--latest <version>|none]
// Only an annotated tag (an official release, `git tag -a`) of a final semver version newer than
// the registry's current `latest` moves `latest`; a lightweight tag, a pre-release (-rc.1,
// -alpha) or an older release (a 1.2.x patch after 1.3.0) never does. Without --latest the
// current one is read from the registry (`docker buildx imagetools inspect <image>:latest`,
// label org.opencontainers.image.version). In GitHub Actions the decision goes to $GITHUB_OUTPUT.
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-.]+)?$/;

/** { major, minor, patch, prerelease: string[] } or undefined when not semver. */
export function parseSemver(text) {
  const match = SEMVER.exec(String(text ?? '').trim());
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

/** Semver precedence (build metadata ignored): negative, zero or positive. */
export function compareSemver(a, b) {
  const x = typeof a === 'string' ? parseSemver(a) : a;
  const y = typeof b === 'string' ? parseSemver(b) : b;
  if (!x || !y) throw new Error(`not semver: ${!x ? a : b}`);
  for (const key of ['major', 'minor', 'patch']) {
    if (x[key] !== y[key]) return x[key] - y[key];
  }
  // A pre-release sorts before its release; identifiers compare numerically when both are.
  if (!x.prerelease.length || !y.prerelease.length)
    return y.prerelease.length - x.prerelease.length;
  for (let i = 0; i < Math.max(x.prerelease.length, y.prerelease.length); i++) {
    const p = x.prerelease[i];
    const q = y.prerelease[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * The decision for one tag. `tagType` is what `git cat-file -t` says of the tag ref: `tag` for an
 * annotated tag, `commit` for a lightweight one. `latest` is the version `latest` points at now
 * (undefined: nothing published yet).
 */
export function decide({ tag, tagType, latest }) {
  const version = parseSemver(tag);
  if (!version)
    return { publish: false, moveLatest: false, tags: [], reason: `${tag} is not a semver tag` };
  const plain = `${version.major}.${version.minor}.${version.patch}${version.prerelease.length ? `-${version.prerelease.join('.')}` : ''}`;
  const tags = [plain];
  const keep = (reason) => ({ publish: true, moveLatest: false, version: plain, tags, reason });
  if (version.prerelease.length) return keep(`${plain} is a pre-release: latest stays`);
  if (tagType !== 'tag')
    return keep(`${tag} is a lightweight tag, not an official release: latest stays`);
  // Official releases also get their minor line (1.2), which an older patch must not move either.
  const current = latest ? parseSemver(latest) : undefined;
  if (latest && !current)
    return keep(`the registry's latest (${latest}) is not semver: latest stays`);
  if (current && compareSemver(version, current) <= 0) {
    return keep(`${plain} is not newer than latest ${latest}: latest stays`);
  }
  tags.push(`${version.major}.${version.minor}`, 'latest');
  return {
    publish: true,
    moveLatest: true,
    version: plain,
    tags,
    reason: current ? `${plain} is newer than latest ${latest}` : `${plain} is the first release`,
  };
}

/** `git cat-file -t refs/tags/<tag>`: `tag` (annotated) or `commit` (lightweight). */
export function tagType(tag, cwd = process.cwd()) {
  return execFileSync('git', ['cat-file', '-t', `refs/tags/${tag}`], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** The version label of `<image>:latest` in the registry, undefined when there is none yet. */
export function registryLatest(image) {
  let out;
  try {
    out = execFileSync(
      'docker',
      ['buildx', 'imagetools', 'inspect', `${image}:latest`, '--format', '{{json .Image}}'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    if (/not found|MANIFEST_UNKNOWN|404/i.test(String(error.stderr))) return undefined;
    throw error;
  }
  const image_ = JSON.parse(out);
  // A multi-platform index answers one config per platform; they carry the same labels.
  const configs = image_.config ? [image_] : Object.values(image_);
  for (const config of configs) {
    const version = config?.config?.Labels?.['org.opencontainers.image.version'];
    if (version) return version;
  }
  return undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const tag = args[0]?.replace(/^refs\/tags\//, '');
  if (!tag) {
    console.error('usage: tag-policy.mjs <git-tag> [--image <image>] [--latest <version>|none]');
    process.exit(2);
  }
  const given = option('--latest');
  const image = option('--image');
  const latest =
    given !== undefined
      ? given === 'none'
        ? undefined
        : given
      : image
        ? registryLatest(image)
        : undefined;
  const decision = decide({ tag, tagType: tagType(tag), latest });
  console.log(JSON.stringify(decision));
  if (process.env.GITHUB_OUTPUT) {
    const refs = image
      ? decision.tags.map((t) => `${image}:${t}`).join(',')
      : decision.tags.join(',');
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      `publish=${decision.publish}\nmove_latest=${decision.moveLatest}\nversion=${decision.version ?? ''}\ntags=${refs}\n`,
    );
  }
  if (!decision.publish) process.exit(1);
}
