import { z } from 'zod';
import { text } from './primitives.js';
import { userRoleSchema } from './scopes.js';
import { adminFiltersSchema, adminResourceNameSchema, ADMIN_DELETED_MODES } from './admin.js';

// Saved views of an admin list: its search, filters, columns, sort and deleted-rows mode under a
// name, private or shared with a role.

export const adminViewStateSchema = z.object({
  q: text(200).optional(),
  filters: adminFiltersSchema.optional(),
  columns: z.array(text(64)).max(100).optional(),
  sort: text(100).optional(),
  /** Soft-deleted rows: left out unless the view says otherwise. */
  deleted: z.enum(ADMIN_DELETED_MODES).optional(),
});
export type AdminViewState = z.infer<typeof adminViewStateSchema>;
export const adminSharedRoleSchema = userRoleSchema.exclude(['user']).nullable();
export const adminViewSchema = z.object({
  id: z.uuid(),
  resource: z.string(),
  name: z.string(),
  ownerId: z.string().nullable(),
  sharedWithRole: adminSharedRoleSchema,
  state: adminViewStateSchema,
  /** Whether the caller owns it (and so may change or delete it). */
  mine: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AdminView = z.infer<typeof adminViewSchema>;
export const adminViewListQuerySchema = z.object({ resource: adminResourceNameSchema.optional() });
export const adminViewListSchema = z.object({ items: z.array(adminViewSchema) });
export const adminViewCreateSchema = z.object({
  resource: adminResourceNameSchema,
  name: text(100, { trim: true }).min(1, 'Give the view a name.'),
  sharedWithRole: adminSharedRoleSchema.default(null),
  state: adminViewStateSchema,
});
export type AdminViewCreate = z.infer<typeof adminViewCreateSchema>;
export const adminViewUpdateSchema = z.object({
  name: text(100, { trim: true }).min(1, 'Give the view a name.').optional(),
  sharedWithRole: adminSharedRoleSchema.optional(),
  state: adminViewStateSchema.optional(),
});
export type AdminViewUpdate = z.infer<typeof adminViewUpdateSchema>;
export const adminViewParamsSchema = z.object({ id: z.uuid() });
