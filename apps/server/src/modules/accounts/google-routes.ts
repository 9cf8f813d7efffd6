import {
  errorResponseSchema,
  googleCallbackQuerySchema,
  googleStartQuerySchema,
} from '@bastion/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../../http/errors.js';
import { recordAudit } from '../audit/service.js';
import { clientOf } from './auth-routes.js';
import { safeEqual } from './crypto.js';
import {
  GoogleSignInError,
  fetchGoogleProfile,
  openState,
  sealState,
  signInWithGoogle,
  startGoogle,
} from './google.js';
import { googleEnabled } from './google-config.js';
import { startSession } from './login-session.js';

const STATE_COOKIE = 'bastion_oauth';
const COOKIE_PATH = '/api/v1/auth/google';
const redirect = {
  302: z.null().describe('Redirect to Google, or back to the app'),
  404: errorResponseSchema,
  429: errorResponseSchema,
};

/** Google sign-in: OAuth 2.0 authorization code flow with PKCE and state (arctic). */
export const googleRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['auth'];
  const config = {
    access: 'public' as const,
    rateLimit: { max: app.config.authRateLimitPer15Min, timeWindow: 15 * 60_000 },
  };

  // Set and cleared with the same attributes (Secure in production, or the browser keeps it).
  const stateCookie = {
    path: COOKIE_PATH,
    httpOnly: true,
    // Lax, not Strict: the cookie must come back on Google's top-level redirect.
    sameSite: 'lax' as const,
    secure: app.config.isProduction,
  };

  function assertEnabled() {
    if (!googleEnabled(app.config)) {
      throw new HttpError(404, 'google_disabled', 'Google sign-in is not configured.');
    }
  }

  /** Back to the login page with a reason it can explain. */
  async function fail(request: FastifyRequest, reply: FastifyReply, reason: string) {
    await recordAudit(app.db, {
      action: 'auth.login_failed',
      data: { method: 'google', reason },
      ...clientOf(request),
    });
    return reply.redirect(`/login?error=${encodeURIComponent(reason)}`, 302);
  }

  app.get(
    '/api/v1/auth/google/start',
    {
      config,
      schema: {
        tags,
        summary: 'Start Google sign-in (redirects to Google)',
        querystring: googleStartQuerySchema,
        response: redirect,
      },
    },
    async (request, reply) => {
      assertEnabled();
      const { url, state } = startGoogle(app.config, request.query.next);
      reply.setCookie(STATE_COOKIE, sealState(app.config.secretKey, state), {
        ...stateCookie,
        maxAge: 600,
      });
      return reply.redirect(url.toString(), 302);
    },
  );

  app.get(
    '/api/v1/auth/google/callback',
    {
      config,
      schema: {
        tags,
        summary: 'Google redirects here; signs in and redirects into the app',
        querystring: googleCallbackQuerySchema,
        response: redirect,
      },
    },
    async (request, reply) => {
      assertEnabled();
      const saved = openState(app.config.secretKey, request.cookies[STATE_COOKIE]);
      reply.clearCookie(STATE_COOKIE, stateCookie);
      if (request.query.error) return fail(request, reply, 'google_cancelled');
      const { code, state } = request.query;
      if (!saved || !code || !state || !safeEqual(state, saved.state)) {
        return fail(request, reply, 'google_state_mismatch');
      }
      try {
        const profile = await fetchGoogleProfile(app.config, code, saved.verifier);
        const user = await signInWithGoogle(app, profile, clientOf(request));
        await startSession(request, reply, user);
        return reply.redirect(saved.next, 302);
      } catch (error) {
        if (error instanceof GoogleSignInError) return fail(request, reply, error.reason);
        throw error;
      }
    },
  );
};
