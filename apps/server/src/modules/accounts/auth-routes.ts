import { z } from 'zod';
import {
  authStateSchema,
  emailSchema,
  errorResponseSchema,
  loginSchema,
  messageSchema,
  resetPasswordSchema,
  setupSchema,
  signupSchema,
  tokenSchema,
  userSchema,
} from '@bastion/contract';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditRequest } from '../audit/service.js';
import * as changes from './account-changes.js';
import * as flows from './flows.js';
import { googleEnabled } from './google-config.js';
import { endSession, startSession } from './login-session.js';
import { createLoginThrottle } from './login-throttle.js';
import { authenticatePassword } from './password-login.js';
import { presentUser } from './presenters.js';
import { completeSetup } from './setup.js';
import { hasAnyAdmin } from './users.js';

export const clientOf = (request: FastifyRequest): flows.ClientInfo => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  429: errorResponseSchema,
};

/** Signup, verification, login/logout, password reset and first-admin setup. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  // Strict per-IP limits on everything that checks a password or sends mail.
  const strict = {
    access: 'public' as const,
    rateLimit: { max: app.config.authRateLimitPer15Min, timeWindow: 15 * 60_000 },
  };
  const tags = ['auth'];
  const loginThrottle = await createLoginThrottle({
    redisUrl: app.config.redisUrl,
    keyPrefix: app.config.redisKeyPrefix,
    secretKey: app.config.secretKey,
    log: app.log,
  });
  app.addHook('onClose', () => loginThrottle.close());
  const accepted = (message: string) => ({ message });

  app.get(
    '/api/v1/auth/state',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The current user (or null) and the sign-in options',
        response: { 200: authStateSchema },
      },
    },
    async (request) => ({
      user: request.user ? presentUser(request.user) : null,
      signupEnabled: app.config.signupEnabled,
      googleEnabled: googleEnabled(app.config),
      setupRequired: !(await hasAnyAdmin(app.db)),
      organizationName: app.config.organizationName ?? null,
    }),
  );

  app.post(
    '/api/v1/auth/signup',
    {
      config: strict,
      schema: {
        tags,
        summary: 'Create an account (same answer whether or not the email is registered)',
        body: signupSchema,
        response: { 202: messageSchema, ...errors },
      },
    },
    async (request, reply) => {
      await flows.signup(app, request.body, clientOf(request));
      return reply
        .code(202)
        .send(accepted('Check your inbox: we sent a link to confirm your email address.'));
    },
  );

  app.post(
    '/api/v1/auth/verify-email',
    {
      config: strict,
      schema: {
        tags,
        summary: 'Confirm an email address with the link token',
        body: tokenSchema,
        response: { 200: userSchema, ...errors, 409: errorResponseSchema },
      },
    },
    async (request) =>
      presentUser(await flows.verifyEmail(app, request.body.token, clientOf(request))),
  );

  app.post(
    '/api/v1/auth/verify-email/resend',
    {
      config: strict,
      schema: {
        tags,
        summary: 'Send the verification link again',
        body: emailSchema,
        response: { 202: messageSchema, ...errors },
      },
    },
    async (request, reply) => {
      await flows.resendVerification(app, request.body.email);
      return reply
        .code(202)
        .send(accepted('If this address has an unconfirmed account, a new link is on its way.'));
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: strict,
      schema: {
        tags,
        summary: 'Sign in with email and password (sets the session cookie)',
        description:
          'Failed attempts are throttled per account and client network, and per account, with ' +
          'growing delays; a 429 carries Retry-After. `unlockToken`, from the link mailed to ' +
          'the owner of a slowed-down account, lets one sign-in with the right password through.',
        body: loginSchema,
        response: { 200: userSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = await authenticatePassword(app, loginThrottle, request.body, clientOf(request));
      await startSession(request, reply, user);
      return presentUser(user);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Sign out: destroys this session',
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await auditRequest(app.db, request, {
        action: 'auth.logout',
        target: `user:${request.auth.userId}`,
      });
      await endSession(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password/forgot',
    {
      config: strict,
      schema: {
        tags,
        summary: 'Mail a password reset link (same answer for any email)',
        body: emailSchema,
        response: { 202: messageSchema, ...errors },
      },
    },
    async (request, reply) => {
      await changes.requestPasswordReset(app, request.body.email, clientOf(request));
      return reply
        .code(202)
        .send(accepted('If an account uses this address, a reset link is on its way.'));
    },
  );

  app.post(
    '/api/v1/auth/password/reset',
    {
      config: strict,
      schema: {
        tags,
        summary: 'Set a new password with a reset token (single use)',
        body: resetPasswordSchema,
        response: { 200: messageSchema, ...errors },
      },
    },
    async (request) => {
      await changes.resetPassword(app, request.body, clientOf(request));
      return accepted('Your password was changed. Sign in with the new one.');
    },
  );

  app.post(
    '/api/v1/auth/setup',
    {
      config: strict,
      schema: {
        tags,
        summary: 'First start: create the admin account with the one-time setup token',
        body: setupSchema,
        response: { 201: userSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = await completeSetup(app, request.body, clientOf(request));
      await startSession(request, reply, user);
      return reply.code(201).send(presentUser(user));
    },
  );
};
