import { CodeChallengeMethod, OAuth2Client, generateCodeVerifier, generateState } from 'arctic';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { recordAudit } from '../audit/service.js';
import { hmac, safeEqual } from './crypto.js';
import type { ClientInfo, FlowDeps } from './flows.js';
import { oauthAccounts, users, type UserRow } from './schema.js';
import { destroyUserSessions } from './sessions.js';
import { findUserByEmail, insertUser } from './users.js';

export const GOOGLE_CALLBACK_PATH = '/api/v1/auth/google/callback';
const PROVIDER = 'google';

export const googleRedirectUri = (config: Pick<Config, 'publicUrl'>) =>
  `${config.publicUrl}${GOOGLE_CALLBACK_PATH}`;

function client(config: Config) {
  return new OAuth2Client(
    config.google.clientId!,
    config.google.clientSecret!,
    googleRedirectUri(config),
  );
}

/** What travels in the short-lived, HttpOnly, HMAC-signed `bastion_oauth` cookie. */
export interface OAuthState {
  state: string;
  verifier: string;
  next: string;
}

export function sealState(secret: string, value: OAuthState): string {
  const body = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${body}.${hmac(secret, `oauth:${body}`)}`;
}

export function openState(secret: string, sealed: string | undefined): OAuthState | undefined {
  if (!sealed) return undefined;
  const [body, mac] = sealed.split('.');
  if (!body || !mac || !safeEqual(mac, hmac(secret, `oauth:${body}`))) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString()) as OAuthState;
  } catch {
    return undefined;
  }
}

/**
 * Only paths of this app may follow a sign-in (the redirect allow-list): never another origin,
 * never a protocol-relative `//host` or a `/\host` that browsers treat as one.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/profile';
  return /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/profile';
}

/** The authorization URL (code flow with PKCE S256 and state) and the state to remember. */
export function startGoogle(config: Config, next: unknown): { url: URL; state: OAuthState } {
  const state = generateState();
  const verifier = generateCodeVerifier();
  const url = client(config).createAuthorizationURLWithPKCE(
    config.google.authUrl,
    state,
    CodeChallengeMethod.S256,
    verifier,
    ['openid', 'email', 'profile'],
  );
  return { url, state: { state, verifier, next: safeNextPath(next) } };
}

const userinfoSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  email_verified: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  name: z.string().optional(),
  picture: z.url().optional(),
});

export class GoogleSignInError extends Error {
  constructor(public readonly reason: string) {
    super(reason);
  }
}

/** Exchanges the code (with the PKCE verifier) and reads the user's OpenID profile. */
export async function fetchGoogleProfile(config: Config, code: string, verifier: string) {
  let accessToken: string;
  try {
    const tokens = await client(config).validateAuthorizationCode(
      config.google.tokenUrl,
      code,
      verifier,
    );
    accessToken = tokens.accessToken();
  } catch {
    throw new GoogleSignInError('google_exchange_failed');
  }
  const response = await fetch(config.google.userinfoUrl, {
    headers: { authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(10_000),
  }).catch(() => undefined);
  const parsed = userinfoSchema.safeParse(response?.ok ? await response.json() : undefined);
  if (!parsed.success) throw new GoogleSignInError('google_profile_failed');
  const verified = parsed.data.email_verified === true || parsed.data.email_verified === 'true';
  if (!verified) throw new GoogleSignInError('google_email_unverified');
  return parsed.data;
}

/**
 * The user for a Google identity: the linked one; else the account with the same email, which
 * gets linked (Google vouches for the address); else a new account when sign-up is open.
 * An existing account whose email was never confirmed may have been registered by someone else
 * in advance (pre-hijacking): its password and sessions are dropped before it is linked.
 */
export async function signInWithGoogle(
  deps: FlowDeps,
  profile: z.infer<typeof userinfoSchema>,
  client: ClientInfo,
): Promise<UserRow> {
  return deps.db.transaction(async (tx) => {
    const [linked] = await tx
      .select({ user: users })
      .from(oauthAccounts)
      .innerJoin(users, eq(users.id, oauthAccounts.userId))
      .where(and(eq(oauthAccounts.provider, PROVIDER), eq(oauthAccounts.subject, profile.sub)));
    let user = linked?.user;
    let action = 'auth.login';
    if (!user) {
      const existing = await findUserByEmail(tx, profile.email);
      if (existing) {
        if (!existing.emailVerifiedAt) {
          await destroyUserSessions(tx, existing.id);
          [user] = await tx
            .update(users)
            .set({ passwordHash: null, emailVerifiedAt: new Date(), updatedAt: new Date() })
            .where(eq(users.id, existing.id))
            .returning();
        } else {
          user = existing;
        }
        action = 'user.oauth_linked';
      } else {
        if (!deps.config.signupEnabled) throw new GoogleSignInError('signup_disabled');
        user = await insertUser(tx, {
          email: profile.email,
          displayName: profile.name ?? '',
          verified: true,
        });
        if (profile.picture) {
          [user] = await tx
            .update(users)
            .set({ avatarUrl: profile.picture })
            .where(eq(users.id, user.id))
            .returning();
        }
        action = 'user.signup';
      }
      await tx.insert(oauthAccounts).values({
        provider: PROVIDER,
        subject: profile.sub,
        userId: user!.id,
        email: profile.email,
      });
    }
    if (!user!.isActive) throw new GoogleSignInError('account_disabled');
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user!.id));
    await recordAudit(tx, {
      action,
      actorId: user!.id,
      target: `user:${user!.id}`,
      data: { method: PROVIDER },
      ...client,
    });
    if (action !== 'auth.login') {
      await recordAudit(tx, {
        action: 'auth.login',
        actorId: user!.id,
        target: `user:${user!.id}`,
        data: { method: PROVIDER },
        ...client,
      });
    }
    return user!;
  });
}
