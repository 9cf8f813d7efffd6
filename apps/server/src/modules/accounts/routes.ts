import type { FastifyPluginAsync } from 'fastify';
import { mailRoutes } from '../mail/routes.js';
import { accountsAdminRoutes } from './admin-routes.js';
import { auditRoutes } from './audit-routes.js';
import { authRoutes } from './auth-routes.js';
import { googleRoutes } from './google-routes.js';
import { meRoutes } from './me-routes.js';

/** Every route of the accounts module (and of mail, whose only routes are the admin outbox). */
export const accountsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(googleRoutes);
  await app.register(meRoutes);
  await app.register(accountsAdminRoutes);
  await app.register(auditRoutes);
  await app.register(mailRoutes);
};
