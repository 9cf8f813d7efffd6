import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const serverDir = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'bastion-migrations-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('committed migrations', () => {
  it('match the TypeScript schema: drizzle-kit generate finds nothing to add', async () => {
    // Against a copy of the migrations folder, so a failing run leaves the real one untouched.
    const out = join(work, 'drizzle');
    cpSync(join(serverDir, 'drizzle'), out, { recursive: true });
    const before = readdirSync(out).sort();
    // drizzle-kit resolves `schema` and `out` against the working directory, relative only.
    const config = join(work, 'drizzle.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        dialect: 'postgresql',
        // The same files as drizzle.config.ts, relative to the copy.
        schema: ['src/db/settings.ts', 'src/modules/*/schema.ts'].map((file) =>
          relative(work, join(serverDir, file)),
        ),
        out: './drizzle',
        casing: 'snake_case',
      }),
    );
    const bin = join(serverDir, '../../node_modules/.bin/drizzle-kit');
    const { stdout, stderr } = await promisify(execFile)(bin, ['generate', '--config', config], {
      cwd: work,
    });
    const output = `${stdout}${stderr}`;
    expect(output, 'drizzle-kit generate').toContain('No schema changes');
    expect(readdirSync(out).sort(), `schema changed without a migration:\n${output}`).toEqual(
      before,
    );
  }, 60_000);
});
