import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';
import { forbidden } from '../http/errors.js';
import type { EngineContext } from './context.js';
import { listPage, planList, type ListInput } from './list.js';
import { may, type CompiledResource } from './resource.js';

// CSV of the current search and filters, streamed: rows are read page by page along the same
// keyset as the list (never OFFSET, never the whole table in memory) and written as they come.

const BATCH = 1000;

/** A cell that starts like a formula is prefixed so spreadsheets show it instead of running it. */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value)
    ? value.join(';')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The export's rows as a stream of CSV text. Checks (permissions, filters, sort, columns) run
 * before the first byte, so a bad request is still a 400 in the one error shape.
 */
export function exportCsv(
  resource: CompiledResource,
  ctx: EngineContext,
  input: Omit<ListInput, 'limit' | 'cursor' | 'facets'>,
): Readable {
  if (!may(resource, 'list', ctx.actor.role)) throw forbidden();
  const first = planList(resource, ctx, { ...input, limit: BATCH });
  const header = ['id', ...first.columns];

  async function* rows() {
    yield header.map((name) => (name === 'id' ? 'id' : (resource.fields.get(name)?.label ?? name)));
    let plan = first;
    for (;;) {
      const page = await listPage(resource, ctx, plan, BATCH);
      for (const record of page.items) yield header.map((name) => safeCell(record[name]));
      if (!page.nextCursor) return;
      plan = planList(resource, ctx, { ...input, limit: BATCH, cursor: page.nextCursor });
    }
  }
  const csv = stringify();
  // A failure mid-stream (the database went away) ends the response early; it is logged.
  pipeline(Readable.from(rows()), csv, (error) => {
    if (error) ctx.logger.error({ err: error, resource: resource.name }, 'admin export failed');
  });
  return csv;
}
