#!/usr/bin/env node
// `npm run migrations:lock`: records the SHA-256 of every migration not yet in
// apps/server/drizzle/released.sha256. Listed files are released: their hash is never rewritten
// here (a database that ran the old text would never run the new one), so an edit makes the
// migration gate (apps/server/src/db/migration-lock.test.ts) fail until it is reverted and the
// change made in a new migration instead.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../apps/server/drizzle');
const lockPath = join(dir, 'released.sha256');
const sha256 = (file) =>
  createHash('sha256')
    .update(readFileSync(join(dir, file)))
    .digest('hex');

const lines = existsSync(lockPath)
  ? readFileSync(lockPath, 'utf8')
      .split('\n')
      .filter((line) => /^[0-9a-f]{64} {2}\S/.test(line))
  : [];
const listed = new Set(lines.map((line) => line.slice(66)));
const added = readdirSync(dir)
  .filter((file) => file.endsWith('.sql') && !listed.has(file))
  .sort();
for (const file of added) lines.push(`${sha256(file)}  ${file}`);
writeFileSync(lockPath, `${lines.join('\n')}\n`);
console.log(added.length ? `locked ${added.join(', ')}` : 'every migration was already locked');
