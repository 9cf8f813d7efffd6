import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Database, DatabaseHandle } from '../db/client.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Database;
    pool: DatabaseHandle['pool'];
    /** True from the moment close() starts: readiness fails so load balancers stop sending. */
    isShuttingDown: boolean;
  }
}

/** Makes the configuration and the database visible to every plugin and route. */
export const contextPlugin = fp(
  async (app: FastifyInstance, options: { config: Config; database: DatabaseHandle }) => {
    app.decorate('config', options.config);
    app.decorate('db', options.database.db);
    app.decorate('pool', options.database.pool);
    app.decorate('isShuttingDown', false);
    app.addHook('preClose', async () => {
      app.isShuttingDown = true;
    });
    // Requests still in flight when shutdown starts get `Connection: close`, so their keep-alive
    // sockets end with the response instead of holding close() open until the keep-alive timeout.
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (app.isShuttingDown) reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'context' },
);
