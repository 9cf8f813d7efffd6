import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const DOCS_PREFIX = '/api/docs';

// swagger-ui needs inline styles and an inline init script; only its pages get this policy.
const DOCS_CSP = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** OpenAPI 3.1 generated from the routes' zod schemas, served at /api/openapi.json and /api/docs. */
export const openapiPlugin = fp(
  async (app: FastifyInstance, options: { version: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Bastion API',
          version: options.version,
          description:
            'Every endpoint, generated from the same zod schemas that validate requests and responses.',
        },
        servers: [],
        tags: [{ name: 'system', description: 'Health, readiness and API metadata' }],
        components: {},
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });

    app.get(
      '/api/openapi.json',
      { schema: { hide: true }, config: { access: 'public', identify: false } },
      async () => app.swagger(),
    );

    app.addHook('onRoute', (route) => {
      if (route.url.startsWith(DOCS_PREFIX)) {
        route.config = {
          ...route.config,
          access: 'public',
          identify: false,
          securityHeaders: { contentSecurityPolicy: DOCS_CSP },
        };
      }
    });
    await app.register(swaggerUi, {
      routePrefix: DOCS_PREFIX,
      uiConfig: { docExpansion: 'list', deepLinking: true },
      staticCSP: false,
      theme: { title: 'Bastion API docs' },
    });
  },
  { name: 'openapi' },
);
