import { and, count, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.js';
import type { CrmPrincipal } from './principal.js';
import { leadImports } from './schema.js';
import { apiKeyBudgets, rateLimited, takeFromBudgets, type ApiKeyThrottle } from './throttle.js';

/**
 * What a CSV import may cost its caller:
 * - rows: an API key's rows spend its lead-creation budgets (per client IP and per key, the
 *   same counters as POST /api/v1/leads, one per row), so a key limited to 10 leads cannot
 *   import 1,000. Staff (sessions, personal tokens) are not throttled when they create leads
 *   one by one in the app, but an import is a bulk write: a signed-in user may import
 *   `rowsPerUser` rows per window.
 * - concurrency: a caller (a user or an API key) has at most `concurrent` imports being read or
 *   applied at once; the next one gets a 429 with Retry-After.
 */
export interface ImportLimits extends ApiKeyThrottle {
  rowsPerUser: number;
  concurrent: number;
}

/** An import whose heartbeat is older than this has lost its process; it no longer counts. */
const HEARTBEAT_TIMEOUT = sql`now() - interval '2 minutes'`;
/** Reading a file takes seconds, applying one under a minute: worth waiting this long. */
const BUSY_RETRY_SECONDS = 10;

export type ImportCaller = Pick<CrmPrincipal, 'userId' | 'apiKeyId'>;
type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Runs `work` (which starts an import: inserts it as `parsing`, or moves it to `running`) only if
 * the caller has fewer than `concurrent` imports in progress. A transaction-scoped advisory lock
 * per caller makes the count and the start one step, also across replicas.
 */
export async function withImportSlot<T>(
  db: Database,
  limits: Pick<ImportLimits, 'concurrent'>,
  caller: ImportCaller,
  reply: FastifyReply,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const owner = caller.apiKeyId
    ? eq(leadImports.apiKeyId, caller.apiKeyId)
    : and(eq(leadImports.createdBy, caller.userId ?? ''), isNull(leadImports.apiKeyId));
  const lockKey = caller.apiKeyId ? `key:${caller.apiKeyId}` : `user:${caller.userId}`;
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`crm.import:${lockKey}`}, 0))`,
    );
    const [busy] = await tx
      .select({ n: count() })
      .from(leadImports)
      .where(
        and(
          owner,
          inArray(leadImports.status, ['parsing', 'running']),
          gt(leadImports.updatedAt, HEARTBEAT_TIMEOUT),
        ),
      );
    if (busy!.n >= limits.concurrent) {
      throw rateLimited(
        reply,
        BUSY_RETRY_SECONDS,
        `You already have ${busy!.n} imports in progress (at most ${limits.concurrent} at once); try again when one has finished.`,
      );
    }
    return work(tx);
  });
}

/**
 * Takes `rows` from the caller's budgets (see ImportLimits), all or nothing: a 429 with
 * Retry-After when they do not fit. Returns the refund, for when the import does not start.
 */
export async function chargeImportRows(
  limits: ImportLimits,
  request: FastifyRequest,
  reply: FastifyReply,
  caller: ImportCaller,
  rows: number,
): Promise<() => Promise<void>> {
  const { throttle, windowMs } = limits;
  const budgets = caller.apiKeyId
    ? apiKeyBudgets(limits, 'leads', request.ip, caller.apiKeyId)
    : [{ key: `leads-import:user:${caller.userId}`, max: limits.rowsPerUser }];
  if (rows === 0) return async () => {};
  const wait = await takeFromBudgets(throttle, budgets, windowMs, rows);
  if (wait > 0) {
    const hours = Math.round((windowMs / 3_600_000) * 100) / 100;
    const allowance = caller.apiKeyId
      ? `this API key may create ${limits.perKey} leads per ${hours} h (${limits.perIp} per client IP)`
      : `you may import ${limits.rowsPerUser} rows per ${hours} h`;
    throw rateLimited(
      reply,
      wait,
      `This import would create ${rows} leads, more than is left of the limit: ${allowance}. Try again later or import a smaller file.`,
    );
  }
  return async () => {
    await Promise.all(budgets.map((budget) => throttle.refund(budget.key, rows)));
  };
}
