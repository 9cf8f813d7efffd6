/** The web app's version (apps/web/package.json), injected at build time by vite.config.ts. */
declare const __APP_VERSION__: string;
