import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, URL-safe: session ids, API tokens, one-time mail tokens. */
export function randomToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * Stored form of a high-entropy secret. A fast hash is right here (unlike passwords): the input
 * is 256 random bits, so there is nothing to brute-force, and lookups stay one indexed query.
 */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare digests so unequal lengths take the same path as equal ones.
  if (left.length !== right.length) {
    timingSafeEqual(
      createHash('sha256').update(left).digest(),
      createHash('sha256').update(right).digest(),
    );
    return false;
  }
  return timingSafeEqual(left, right);
}
