import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { API_SCOPES } from '@bastion/contract';
import type { Command } from '../../cli/command.js';
import { HttpError } from '../../http/errors.js';
import { recordAudit } from '../audit/service.js';
import { createApiKey } from './credentials.js';
import { users } from './schema.js';
import { findUserByEmail, insertUser, normalizeEmail } from './users.js';
import { eq } from 'drizzle-orm';
import { hashPassword } from './passwords.js';

/** Reads the password: piped stdin (first line), or a prompt that does not echo on a terminal. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += String(chunk);
    return data.split(/\r?\n/)[0] ?? '';
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(question);
      muted = true;
      rl.question('', (answer) => {
        muted = false;
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  try {
    const first = await ask(prompt);
    const again = await ask('Password (again): ');
    if (first !== again) throw new Error('the passwords do not match');
    return first;
  } finally {
    rl.close();
  }
}

function explain(error: unknown): never {
  if (error instanceof HttpError && error.details?.length) {
    throw new Error(error.details.map((detail) => detail.message).join(' '));
  }
  throw error;
}

export const accountsCommands: Record<string, Command> = {
  'user:create-admin': {
    description:
      'Create an admin account (or promote an existing one); password from a prompt or stdin.',
    usage: 'user:create-admin --email EMAIL [--name "Display Name"]',
    options: { email: { type: 'string' }, name: { type: 'string' } },
    async run(context, values) {
      const email = typeof values.email === 'string' ? normalizeEmail(values.email) : '';
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error('--email is required');
      const { db } = await context.database();
      const password = await readPassword('Password: ');
      const existing = await findUserByEmail(db, email);
      if (existing) {
        const passwordHash = await hashPassword(password);
        await db
          .update(users)
          .set({
            role: 'admin',
            passwordHash,
            emailVerifiedAt: existing.emailVerifiedAt ?? new Date(),
            isActive: true,
            updatedAt: new Date(),
          })
          .where(eq(users.id, existing.id));
        await recordAudit(db, {
          action: 'user.role_changed',
          actor: 'cli',
          target: `user:${existing.id}`,
          data: { from: existing.role, to: 'admin' },
        });
        context.logger.info({ email }, 'existing user promoted to admin, password set');
        return;
      }
      const user = await insertUser(db, {
        email,
        password,
        displayName: typeof values.name === 'string' ? values.name : '',
        role: 'admin',
        verified: true,
      }).catch(explain);
      await recordAudit(db, {
        action: 'user.created_by_cli',
        actor: 'cli',
        target: `user:${user.id}`,
        data: { role: 'admin' },
      });
      context.logger.info({ email }, 'admin created');
    },
  },
  'apikey:create': {
    description: 'Create an API key (Authorization: Api-Key …); --key imports an existing value.',
    usage: 'apikey:create --name site --scopes leads:write[,leads:read] [--key VALUE]',
    options: { name: { type: 'string' }, scopes: { type: 'string' }, key: { type: 'string' } },
    async run(context, values) {
      const name = typeof values.name === 'string' ? values.name.trim() : '';
      if (!name) throw new Error('--name is required');
      const scopes = String(values.scopes ?? '')
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean);
      const unknown = scopes.filter((scope) => !(scope in API_SCOPES));
      if (scopes.length === 0 || unknown.length > 0) {
        throw new Error(`--scopes must list known scopes (${Object.keys(API_SCOPES).join(', ')})`);
      }
      const key = typeof values.key === 'string' ? values.key : undefined;
      if (key !== undefined && key.length < 16)
        throw new Error('--key must be at least 16 characters');
      const { db } = await context.database();
      const created = await createApiKey(db, { name, scopes, ...(key ? { key } : {}) });
      await recordAudit(db, {
        action: 'api_key.created',
        actor: 'cli',
        target: `api_key:${created.row.id}`,
        data: { name, scopes },
      });
      // The key goes to stdout alone (scripts capture it); it is not stored in clear anywhere.
      console.log(created.key);
      context.logger.info(
        { id: created.row.id, name, scopes },
        'API key created; it is shown only once',
      );
    },
  },
};
