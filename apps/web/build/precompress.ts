import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text files a browser downloads; images and fonts other than SVG are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|xml|webmanifest)$/;

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // `.vite/` holds the build manifest, read by tests and never served.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (COMPRESSIBLE.test(entry.name)) yield path;
  }
}

/** Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside one file. */
export async function precompressFile(path: string): Promise<void> {
  const source = readFileSync(path);
  const [br, gz] = await Promise.all([
    brotli(source, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
      },
    }),
    gzipAsync(source, { level: 9 }),
  ]);
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gz);
}

/**
 * Compresses the finished build once, at the highest levels, so the server never compresses a
 * static file per request: `@fastify/static` (`preCompressed`) picks the `.br` or `.gz` sibling
 * the browser accepts. Every compressible file gets both, even when tiny, so the server's
 * choice never depends on a file's size.
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'bastion:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = [...filesUnder(outDir)].filter((path) => statSync(path).isFile());
      await Promise.all(files.map(precompressFile));
    },
  };
}
