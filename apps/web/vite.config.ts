import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defineConfig } from 'vite';
import { precompress } from './build/precompress.ts';
import pkg from './package.json' with { type: 'json' };

// The API the dev server proxies to; PORT is the server's port when both run from `npm run dev`.
// BASTION_API_URL: the API elsewhere than this host (compose.yaml's `web` service: http://api:8000).
const apiTarget = process.env.BASTION_API_URL ?? `http://localhost:${process.env.PORT ?? 8000}`;

export default defineConfig({
  // Pin the root so the config works whatever the working directory (root scripts, vitest projects).
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), tailwindcss(), precompress()],
  resolve: {
    // `source` makes @bastion/contract resolve to its TypeScript source: no build step needed.
    conditions: ['source', ...defaultClientConditions],
  },
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    // Every component uses <script setup>: without the Options API, Vue's runtime is smaller and
    // the first page has less JavaScript to compile.
    __VUE_OPTIONS_API__: 'false',
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: apiTarget } },
  },
  preview: { port: 4173 },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // The production CSP allows `data:` images and fonts, but files keep it simple and cacheable.
    assetsInlineLimit: 0,
    // dist/.vite/manifest.json: which chunks each page needs (the bundle budget test reads it).
    manifest: true,
  },
});
