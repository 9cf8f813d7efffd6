import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * Serves the built SPA: hashed files under /assets are cached for a year, everything else
 * (index.html above all) is revalidated, and unknown non-API paths get index.html so that
 * history-mode routes survive a reload.
 *
 * The build writes a `.br` and a `.gz` beside every text file (apps/web/build/precompress.ts);
 * `preCompressed` sends the one the browser accepts (brotli first), with `Vary:
 * Accept-Encoding`, and that file's own length, ETag and byte ranges. Nothing is compressed per
 * request, and a client that accepts neither gets the plain file.
 */
export const webPlugin = fp(
  async (app: FastifyInstance, options: { distDir: string }) => {
    const indexFile = join(options.distDir, 'index.html');
    if (!existsSync(indexFile)) {
      app.log.warn(
        { distDir: options.distDir },
        'web app not built: run `npm run build` (the API still works)',
      );
      return;
    }

    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api'))
        route.config = { ...route.config, access: 'public', identify: false };
    });

    await app.register(fastifyStatic, {
      root: options.distDir,
      wildcard: false,
      index: false,
      preCompressed: true,
      // The siblings are chosen by negotiation, never asked for by name.
      globIgnore: ['**/*.br', '**/*.gz'],
      cacheControl: false,
      setHeaders(reply, path) {
        reply.header('cache-control', path.includes('/assets/') ? IMMUTABLE : REVALIDATE);
      },
    });

    const sendIndex = (reply: FastifyReply) =>
      reply.header('cache-control', REVALIDATE).sendFile('index.html');

    app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      // API paths and missing files (anything with an extension) are real 404s, not app routes.
      if (path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) {
        return reply.callNotFound();
      }
      return sendIndex(reply);
    });
  },
  { name: 'web' },
);
