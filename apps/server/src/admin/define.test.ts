import { leadCreateSchema } from '@bastion/contract';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { forbidden } from '../http/errors.js';
import { leads } from '../modules/crm/schema.js';
import { defineAdminResource } from './define.js';

// The definition types are the contract with every module's admin.ts: this checks that a
// realistic one compiles (tsc runs over tests too) and that bad names are refused.
describe('defineAdminResource', () => {
  it('takes a typed definition and keeps it', () => {
    const resource = defineAdminResource({
      name: 'test-leads',
      label: 'Lead',
      table: leads,
      title: 'fullName',
      fields: {
        fullName: { type: 'text', input: 'full_name' },
        email: { type: 'email', view: 'staff', edit: 'admin' },
        status: { type: 'select', choices: ['new', 'lost'] },
        ownerId: { type: 'fk', ref: 'users' },
        createdAt: { type: 'datetime', readonly: true },
      },
      list: ['fullName', 'email', 'status'],
      search: ['fullName', 'email'],
      filters: ['status', 'ownerId', 'createdAt'],
      sortable: ['createdAt', 'fullName'],
      defaultSort: '-createdAt',
      access: { list: 'staff', view: 'staff', create: 'staff', edit: 'staff', delete: 'admin' },
      write: { create: leadCreateSchema },
      softDelete: 'deletedAt',
      restorable: true,
      hooks: {
        beforeWrite(ctx, event) {
          if (event.kind === 'delete' && ctx.actor.role !== 'admin') throw forbidden();
          return { ...event.values, updatedAt: new Date() };
        },
      },
      actions: [
        {
          name: 'mark-lost',
          label: 'Mark lost',
          destructive: true,
          async run(ctx, row) {
            await ctx.db.update(leads).set({ status: 'lost' }).where(eq(leads.id, row.id));
            return { status: 'lost' };
          },
        },
      ],
      inlines: [{ name: 'notes', label: 'Notes', resource: 'lead-notes', field: 'leadId' }],
      scope: (actor) => (actor.role === 'admin' ? undefined : eq(leads.source, 'website')),
    });
    expect(resource.definition.name).toBe('test-leads');
  });

  it('names only columns of the table (checked by tsc)', () => {
    const resource = defineAdminResource({
      name: 'typos',
      label: 'Typo',
      table: leads,
      // @ts-expect-error -- not a column of leads
      fields: { fullNam: { type: 'text' } },
      // @ts-expect-error -- not a column of leads
      list: ['nope'],
    });
    expect(resource.kind).toBe('admin-resource');
  });

  it('refuses a name that cannot be a URL segment', () => {
    expect(() =>
      defineAdminResource({ name: 'Bad Name', label: 'x', table: leads, fields: {} }),
    ).toThrow();
  });
});
