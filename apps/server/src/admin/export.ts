import { stringify } from 'csv-stringify/sync';
import { Readable } from 'node:stream';
import { forbidden } from '../http/errors.js';
import type { EngineContext } from './context.js';
import { listPage, planList, type ListInput } from './list.js';
import { may, type CompiledResource } from './resource.js';
import { asInputError } from './validate.js';

// CSV of the current search and filters, streamed: rows are read page by page along the same
// keyset as the list (never OFFSET, never the whole table in memory) and written as they come.

const BATCH = 2000;

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
export async function exportCsv(
  resource: CompiledResource,
  ctx: EngineContext,
  input: Omit<ListInput, 'limit' | 'cursor' | 'facets'>,
): Promise<Readable> {
  if (!may(resource, 'list', ctx.actor.role)) throw forbidden();
  const first = planList(resource, ctx, { ...input, limit: BATCH });
  const header = ['id', ...first.columns];
  // The first batch is read before answering, so a value the column cannot take is a 400.
  const firstPage = await asInputError(() => listPage(resource, ctx, first, BATCH));

  // One CSV chunk per batch: far less stream overhead than a record at a time.
  async function* chunks() {
    yield stringify([
      header.map((name) => (name === 'id' ? 'id' : (resource.fields.get(name)?.label ?? name))),
    ]);
    let page = firstPage;
    for (;;) {
      if (page.items.length > 0) {
        yield stringify(page.items.map((record) => header.map((name) => safeCell(record[name]))));
      }
      if (!page.nextCursor) return;
      const plan = planList(resource, ctx, { ...input, limit: BATCH, cursor: page.nextCursor });
      page = await listPage(resource, ctx, plan, BATCH);
    }
  }
  // A failure mid-stream (the database went away) destroys the stream: the answer ends early.
  return Readable.from(chunks(), { objectMode: false });
}
