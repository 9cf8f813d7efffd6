import type { LeadCreateInput } from '@bastion/contract';
import type { TestApp } from '../../../test/app.js';
import { createUser, loginAs } from '../../../test/auth.js';

/** Headers of a signed-in sales staff member (session cookie + CSRF token). */
export async function staffHeaders(t: Pick<TestApp, 'app'>): Promise<Record<string, string>> {
  const user = await createUser(t, { role: 'staff' });
  return loginAs(t, user);
}

export function leadInput(overrides: Partial<LeadCreateInput> = {}): LeadCreateInput {
  return { full_name: 'Ada Lovelace', email: 'ada@example.com', ...overrides };
}
