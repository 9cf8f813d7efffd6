import type {
  AdminView,
  AdminViewCreate,
  AdminViewState,
  AdminViewUpdate,
  UserRole,
} from '@bastion/contract';
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { EngineContext } from '../../admin/context.js';
import { resolveColumns } from '../../admin/list.js';
import { parseSort, selectionWhere } from '../../admin/query.js';
import { adminResource } from '../../admin/registry.js';
import { may } from '../../admin/resource.js';
import { forbidden, notFound } from '../../http/errors.js';
import { adminSavedViews, type AdminSavedViewRow } from './schema.js';

// Saved views: a list's search, filters, columns and sort under a name, addressable by id (the
// web app puts `?view=<id>` in the URL). Private to the owner, or shared with everyone from a
// role up. Only the owner changes or deletes one.

/** Roles whose members see a view shared with `role`: staff views reach admins too. */
function rolesSeenBy(role: UserRole): string[] {
  return role === 'admin' ? ['staff', 'admin'] : role === 'staff' ? ['staff'] : [];
}

function visibleTo(ctx: EngineContext): SQL {
  const shared = rolesSeenBy(ctx.actor.role);
  return or(
    eq(adminSavedViews.ownerId, ctx.actor.userId),
    shared.length > 0 ? inArray(adminSavedViews.sharedWithRole, shared) : sql`false`,
  )!;
}

function present(row: AdminSavedViewRow, ctx: EngineContext): AdminView {
  return {
    id: row.id,
    resource: row.resource,
    name: row.name,
    ownerId: row.ownerId,
    sharedWithRole: row.sharedWithRole as AdminView['sharedWithRole'],
    state: row.state as AdminViewState,
    mine: row.ownerId === ctx.actor.userId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A view's state must make a valid list of its resource for the caller (a 400 otherwise). */
function checkState(resourceName: string, ctx: EngineContext, state: AdminViewState) {
  const resource = adminResource(resourceName);
  if (!may(resource, 'list', ctx.actor.role)) throw forbidden();
  resolveColumns(resource, ctx, state.columns);
  parseSort(resource, ctx.actor, state.sort);
  selectionWhere(resource, ctx.actor, {
    q: state.q,
    filters: state.filters,
    deleted: state.deleted,
  });
}

export async function listViews(ctx: EngineContext, resource?: string): Promise<AdminView[]> {
  const rows = await ctx.db
    .select()
    .from(adminSavedViews)
    .where(and(visibleTo(ctx), resource ? eq(adminSavedViews.resource, resource) : undefined))
    .orderBy(desc(adminSavedViews.updatedAt))
    .limit(200);
  return rows
    .filter((row) => {
      try {
        return may(adminResource(row.resource), 'list', ctx.actor.role);
      } catch {
        return false; // a resource that no longer exists
      }
    })
    .map((row) => present(row, ctx));
}

export async function getView(ctx: EngineContext, id: string): Promise<AdminView> {
  const [row] = await ctx.db
    .select()
    .from(adminSavedViews)
    .where(and(eq(adminSavedViews.id, id), visibleTo(ctx)));
  if (!row) throw notFound('View');
  return present(row, ctx);
}

export async function createView(ctx: EngineContext, input: AdminViewCreate): Promise<AdminView> {
  checkState(input.resource, ctx, input.state);
  const [row] = await ctx.db
    .insert(adminSavedViews)
    .values({
      resource: input.resource,
      name: input.name,
      ownerId: ctx.actor.userId,
      sharedWithRole: input.sharedWithRole,
      state: input.state,
    })
    .returning();
  return present(row!, ctx);
}

async function ownView(ctx: EngineContext, id: string): Promise<AdminView> {
  const view = await getView(ctx, id);
  if (!view.mine) throw forbidden('Only the owner of a view may change it.');
  return view;
}

export async function updateView(
  ctx: EngineContext,
  id: string,
  input: AdminViewUpdate,
): Promise<AdminView> {
  const view = await ownView(ctx, id);
  if (input.state) checkState(view.resource, ctx, input.state);
  const [row] = await ctx.db
    .update(adminSavedViews)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.sharedWithRole !== undefined ? { sharedWithRole: input.sharedWithRole } : {}),
      ...(input.state !== undefined ? { state: input.state } : {}),
      updatedAt: new Date(),
    })
    .where(eq(adminSavedViews.id, id))
    .returning();
  return present(row!, ctx);
}

export async function deleteView(ctx: EngineContext, id: string): Promise<void> {
  await ownView(ctx, id);
  await ctx.db.delete(adminSavedViews).where(eq(adminSavedViews.id, id));
}
