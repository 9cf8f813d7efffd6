#!/usr/bin/env node
// Builds what `npm start` runs: the contract and the server (tsc) and the web app (vite).
//   node scripts/build.mjs             build everything
//   node scripts/build.mjs --if-stale  only the parts whose sources changed since their last build
//   node scripts/build.mjs --web       only the web app (what the browser tests need)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const ifStale = args.has('--if-stale');

const targets = [
  {
    name: 'contract',
    inputs: ['packages/contract/src', 'packages/contract/tsconfig.json', 'tsconfig.base.json'],
    output: 'packages/contract/dist',
    command: ['npx', 'tsc', '-p', 'packages/contract'],
  },
  {
    name: 'server',
    inputs: [
      'apps/server/src',
      'apps/server/drizzle',
      'apps/server/tsconfig.build.json',
      'packages/contract/src',
    ],
    output: 'apps/server/dist',
    command: ['npx', 'tsc', '-p', 'apps/server/tsconfig.build.json'],
    // Data files the code reads next to itself (`new URL('./x.json', import.meta.url)`, e.g. the
    // HSTS preload snapshot): tsc copies only what is imported, so they are copied here.
    assets: { from: 'apps/server/src', to: 'apps/server/dist', ext: ['.json'] },
  },
  {
    name: 'web',
    inputs: [
      'apps/web/src',
      'apps/web/public',
      'apps/web/index.html',
      'apps/web/build',
      'apps/web/vite.config.ts',
      'packages/contract/src',
    ],
    output: 'apps/web/dist',
    command: ['npm', 'run', '--silent', 'build', '-w', '@bastion/web'],
  },
].filter((target) => !args.has('--web') || target.name === 'web');

function newestMtime(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(full)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function copyAssets({ from, to, ext }) {
  cpSync(join(root, from), join(root, to), {
    recursive: true,
    filter: (source) =>
      statSync(source).isDirectory() ||
      (ext.some((suffix) => source.endsWith(suffix)) && !/\.test\.|tsconfig/.test(source)),
  });
}

for (const target of targets) {
  const stamp = join(root, target.output, '.build-stamp');
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const changedAt = Math.max(...target.inputs.map(newestMtime));
  if (ifStale && builtAt > changedAt) continue;
  const started = Date.now();
  process.stderr.write(`building ${target.name}… `);
  const result = spawnSync(target.command[0], target.command.slice(1), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(`failed\n${result.stdout}${result.stderr}`);
    process.exit(result.status ?? 1);
  }
  if (target.assets) copyAssets(target.assets);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
