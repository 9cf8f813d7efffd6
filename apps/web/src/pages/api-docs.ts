import type { WebModule } from '../web-module';

// The API reference is served by the API server (/api/docs), outside the SPA: only a menu entry.
export default {
  name: 'api-docs',
  routes: [],
  nav: [{ label: 'API docs', to: '/api/docs', external: true }],
} satisfies WebModule;
