import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, stateless newsletter links: `<payload>.<HMAC-SHA256>` in base64url, keyed with
 * SECRET_KEY. A confirmation token names the subscription version it confirms (a re-subscribe
 * bumps it, so older links die) and expires; an unsubscribe token never expires, because a
 * link in an old mail must still work.
 */
export type TokenPurpose = 'confirm' | 'unsubscribe';

interface TokenPayload {
  p: TokenPurpose;
  s: number; // subscriber id
  v: number; // token version
  e?: number; // expiry, ms since epoch
}

function sign(secret: string, data: string): string {
  return createHmac('sha256', `newsletter:${secret}`).update(data).digest('base64url');
}

export function createNewsletterToken(
  secret: string,
  purpose: TokenPurpose,
  subscriberId: number,
  version: number,
  expiresAt?: Date,
): string {
  const payload: TokenPayload = { p: purpose, s: subscriberId, v: version };
  if (expiresAt) payload.e = expiresAt.getTime();
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${data}.${sign(secret, data)}`;
}

export function verifyNewsletterToken(
  secret: string,
  purpose: TokenPurpose,
  token: string,
  now = Date.now(),
): { subscriberId: number; version: number } | { error: 'invalid' | 'expired' } {
  const [data, signature, extra] = token.split('.');
  if (!data || !signature || extra !== undefined) return { error: 'invalid' };
  const expected = Buffer.from(sign(secret, data));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { error: 'invalid' };
  }
  let payload: TokenPayload;
  try {
    payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as TokenPayload;
  } catch {
    return { error: 'invalid' };
  }
  if (payload.p !== purpose || !Number.isInteger(payload.s)) return { error: 'invalid' };
  if (payload.e !== undefined && payload.e < now) return { error: 'expired' };
  return { subscriberId: payload.s, version: payload.v };
}
