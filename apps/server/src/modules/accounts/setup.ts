import { sql } from 'drizzle-orm';
import { HttpError } from '../../http/errors.js';
import { recordAudit } from '../audit/service.js';
import type { ClientInfo, FlowDeps } from './flows.js';
import { consumeToken, issueToken } from './one-time-tokens.js';
import type { UserRow } from './schema.js';
import { hasAnyAdmin, insertUser } from './users.js';

/**
 * First start: while no admin exists, a one-time link lets the first visitor create the admin
 * account. Returns the link to print, or undefined once there is an admin. Other accounts do
 * not end setup: signups or demo data may come first, and still nobody could administer.
 */
export async function firstStartSetupLink(
  deps: Pick<FlowDeps, 'db' | 'config'>,
): Promise<string | undefined> {
  if (await hasAnyAdmin(deps.db)) return undefined;
  const token = await issueToken(deps.db, 'setup', null);
  return `${deps.config.publicUrl}/setup?token=${encodeURIComponent(token)}`;
}

export async function completeSetup(
  deps: FlowDeps,
  input: { token: string; email: string; password: string; displayName?: string | undefined },
  client: ClientInfo,
): Promise<UserRow> {
  return deps.db.transaction(async (tx) => {
    // Serialises concurrent setups: the second sees the first's admin and fails.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('bastion:first-admin-setup'))`);
    const [{ n } = { n: 0 }] = await tx
      .execute<{ n: number }>(sql`select count(*)::int as n from users where role = 'admin'`)
      .then((r) => r.rows);
    const invalid = new HttpError(
      400,
      'invalid_token',
      'This setup link is invalid, used or expired.',
    );
    if (n > 0) throw invalid;
    const row = await consumeToken(tx, input.token, ['setup']);
    if (!row) throw invalid;
    const user = await insertUser(tx, {
      email: input.email,
      password: input.password,
      displayName: input.displayName ?? '',
      role: 'admin',
      verified: true,
    });
    await recordAudit(tx, {
      action: 'user.setup_admin',
      actorId: user.id,
      target: `user:${user.id}`,
      ...client,
    });
    return user;
  });
}
