import { hash, parseOptions, verify } from '@node-rs/argon2';
import { PASSWORD_MIN_LENGTH } from '@bastion/contract';
import { COMMON_PASSWORDS } from './common-passwords.js';

// argon2id with OWASP's minimum recommended cost (19 MiB, 2 passes, 1 lane).
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** A hash made with the current parameters, for unknown emails: same work, so same timing. */
let dummyHash: Promise<string> | undefined;

/**
 * Verifies `password` against `stored`; with no stored hash, burns the same time against a dummy
 * so the response does not reveal whether the account exists.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    await verify(await (dummyHash ??= hashPassword('dummy-password-for-timing')), password);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** True when the hash was made with other parameters than today's: rehash at the next login. */
export function needsRehash(stored: string): boolean {
  try {
    const options = parseOptions(stored);
    return (
      options.memoryCost !== ARGON2.memoryCost ||
      options.timeCost !== ARGON2.timeCost ||
      options.parallelism !== ARGON2.parallelism
    );
  } catch {
    return true;
  }
}

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    COMMON_PASSWORDS.split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/** The password policy; returns the problem in words, or undefined when the password is fine. */
export function passwordProblem(password: string, email: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  const lower = password.toLowerCase();
  const normalizedEmail = email.trim().toLowerCase();
  if (lower === normalizedEmail || lower === normalizedEmail.split('@')[0]) {
    return 'Do not use your email address as your password.';
  }
  if (commonPasswords().has(lower)) return 'This password is too common; choose another.';
  return undefined;
}
