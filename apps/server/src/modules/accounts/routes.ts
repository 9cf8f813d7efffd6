import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth-routes.js';
import { googleRoutes } from './google-routes.js';
import { meRoutes } from './me-routes.js';

/** Every route of the accounts module. */
export const accountsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(googleRoutes);
  await app.register(meRoutes);
};
