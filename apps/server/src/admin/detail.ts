import type { AdminDetail, AdminInlineRows } from '@bastion/contract';
import { forbidden, notFound } from '../http/errors.js';
import type { EngineContext } from './context.js';
import { countRows } from './count.js';
import { listPage, planList } from './list.js';
import { findAdminResource } from './registry.js';
import { may, mayRun, type CompiledResource } from './resource.js';
import { presentRecord } from './values.js';
import { findRow } from './write.js';

/** One object with the first page of each inline the caller may list. */
export async function recordDetail(
  resource: CompiledResource,
  ctx: EngineContext,
  rawId: string,
): Promise<AdminDetail> {
  if (!may(resource, 'view', ctx.actor.role)) throw forbidden();
  const row = await findRow(ctx.db, resource, ctx, rawId, { withDeleted: true });
  if (!row) throw notFound(resource.label);
  const inlines: AdminInlineRows[] = [];
  for (const inline of resource.definition.inlines ?? []) {
    const child = findAdminResource(inline.resource);
    if (!child || !may(child, 'list', ctx.actor.role)) continue;
    const plan = planList(child, ctx, {
      limit: inline.limit ?? 10,
      filters: { [inline.field]: String(row[resource.idField]) },
    });
    const [page, count] = await Promise.all([
      listPage(child, ctx, plan, inline.limit ?? 10),
      countRows(ctx.db, child, plan.where),
    ]);
    inlines.push({ name: inline.name, resource: child.name, ...page, count });
  }
  const deleted = resource.softDeleteField ? row[resource.softDeleteField] != null : false;
  const actions = deleted
    ? [] // a deleted row is restored first
    : (resource.definition.actions ?? [])
        .filter(
          (action) =>
            (action.row ?? true) &&
            mayRun(resource, action, ctx.actor.role) &&
            (action.appliesTo?.(row, ctx.actor) ?? true),
        )
        .map((action) => action.name);
  // Only a path inside the app: the admin page links to it as it is.
  const site = deleted ? undefined : resource.definition.viewOnSite?.(row);
  return {
    record: presentRecord(resource, row, ctx.actor.role),
    deleted,
    actions,
    inlines,
    ...(site && /^\/(?!\/)/.test(site) ? { siteUrl: site } : {}),
  };
}
