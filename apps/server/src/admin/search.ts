import type { AdminLookup, AdminSearchHit } from '@bastion/contract';
import { and, inArray, sql } from 'drizzle-orm';
import { forbidden } from '../http/errors.js';
import type { EngineContext } from './context.js';
import { selectionWhere } from './query.js';
import { adminResources } from './registry.js';
import { canRead, may, type CompiledResource } from './resource.js';
import { asInputError } from './validate.js';

// Search-as-you-type for foreign-key pickers (one resource) and the command palette (every
// resource the caller may view). Both answer with `{ id, label }` where the label is the
// resource's title field, so nothing beyond that one readable field leaves the server.

const LOOKUP_LIMIT = 20;
const PALETTE_PER_RESOURCE = 5;

function titleReadable(resource: CompiledResource, ctx: EngineContext): boolean {
  const title = resource.fields.get(resource.title);
  return (
    resource.title === resource.idField || (title !== undefined && canRead(title, ctx.actor.role))
  );
}

async function titles(
  resource: CompiledResource,
  ctx: EngineContext,
  q: string | undefined,
  limit: number,
): Promise<{ id: string; label: string }[]> {
  const title = resource.fields.get(resource.title)?.column ?? resource.idColumn;
  // Search the title too, even when it is not one of the list's search fields.
  const searchable = {
    ...resource,
    search: [...new Set([...resource.search, resource.title])].filter((name) =>
      resource.fields.has(name),
    ),
  };
  const where = selectionWhere(searchable, ctx.actor, { q });
  const rows = await asInputError(() =>
    ctx.db
      .select({
        id: sql<string>`${resource.idColumn}::text`,
        label: sql<string | null>`${title}::text`,
      })
      .from(resource.table)
      .where(and(where))
      .orderBy(sql`${title} asc`, sql`${resource.idColumn} asc`)
      .limit(limit),
  );
  return rows.map((row) => ({ id: row.id, label: row.label ?? row.id }));
}

/** `[{ id, label }]` for a picker of `resource`: needs view access and a readable title. */
export async function lookup(
  resource: CompiledResource,
  ctx: EngineContext,
  q: string | undefined,
): Promise<AdminLookup> {
  if (!may(resource, 'view', ctx.actor.role) || !titleReadable(resource, ctx)) throw forbidden();
  return { items: await titles(resource, ctx, q, LOOKUP_LIMIT) };
}

/**
 * The titles of `ids` in `resource` (a page's foreign keys), as the caller's lookup would name
 * them: nothing for a resource the caller may not view or whose title it may not read, and
 * nothing for a row outside the caller's scope. One query per referenced resource, by primary
 * key (parameters typed by the column, so its index is used).
 */
export async function titlesByIds(
  resource: CompiledResource,
  ctx: EngineContext,
  ids: readonly string[],
): Promise<Record<string, string>> {
  if (ids.length === 0 || !may(resource, 'view', ctx.actor.role) || !titleReadable(resource, ctx))
    return {};
  const title = resource.fields.get(resource.title)?.column ?? resource.idColumn;
  const rows = await ctx.db
    .select({
      id: sql<string>`${resource.idColumn}::text`,
      label: sql<string | null>`${title}::text`,
    })
    .from(resource.table)
    .where(
      and(
        inArray(resource.idColumn, [...ids]),
        selectionWhere(resource, ctx.actor, { deleted: 'include' }),
      ),
    );
  return Object.fromEntries(rows.map((row) => [row.id, row.label ?? row.id]));
}

/** Palette hits across every searchable resource the caller may list and view. */
export async function paletteSearch(ctx: EngineContext, q: string): Promise<AdminSearchHit[]> {
  if (q.trim() === '') return [];
  const candidates = adminResources().filter(
    (resource) =>
      may(resource, 'list', ctx.actor.role) &&
      may(resource, 'view', ctx.actor.role) &&
      resource.search.length > 0 &&
      titleReadable(resource, ctx),
  );
  const results = await Promise.all(
    candidates.map(async (resource) =>
      (await titles(resource, ctx, q, PALETTE_PER_RESOURCE)).map((hit) => ({
        resource: resource.name,
        resourceLabel: resource.labelPlural,
        ...hit,
      })),
    ),
  );
  return results.flat();
}
