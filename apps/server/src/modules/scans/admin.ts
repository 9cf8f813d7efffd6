import {
  SCAN_GRADES,
  SCAN_SCHEDULES,
  SCAN_STATES,
  scanTargetUpdateSchema,
  VERIFICATION_METHOD_LABELS,
  VERIFICATION_METHODS,
} from '@bastion/contract';
import { eq } from 'drizzle-orm';
import { defineAdminResource, type AdminContext } from '../../admin/define.js';
import type { Database } from '../../db/client.js';
import { conflict } from '../../http/errors.js';
import { nextScanAt } from './next-run.js';
import { requestScan } from './scans-service.js';
import { scans, scanTargets } from './schema.js';
import { deleteTarget, markVerified, updateTarget, type Viewer } from './targets.js';

// Scan targets and their scans in the generic admin. Everything goes through the scans
// module's own functions: "rescan" is the API's "scan now" (cooldown, one scan at a time, the job
// enqueued with the row), "mark verified" its staff verification, edits its update.

/** The admin is for staff and admins: they see every target, as on the scans API. */
const staffViewer = (ctx: AdminContext): Viewer => ({ userId: ctx.actor.userId, staff: true });

/**
 * The engine's transaction, as the scans service's `Database`: its own `transaction()` calls
 * then become savepoints inside it, so the scan, its job and the audit event commit together.
 */
const asDatabase = (ctx: AdminContext) => ctx.db as Database;

export const scanTargetsAdmin = defineAdminResource({
  name: 'scan-targets',
  label: 'Scan target',
  table: scanTargets,
  title: 'name',
  fields: {
    name: { type: 'text' },
    url: { type: 'url', label: 'URL' },
    ownerId: { type: 'fk', ref: 'users', label: 'Owner', readonly: true },
    verified: { type: 'boolean', readonly: true },
    verificationMethod: {
      type: 'select',
      choices: VERIFICATION_METHODS.map((value) => ({
        value,
        label: VERIFICATION_METHOD_LABELS[value],
      })),
      readonly: true,
    },
    verifiedAt: { type: 'datetime', readonly: true },
    verificationCheckedAt: { type: 'datetime', readonly: true, label: 'Proof last checked' },
    schedule: { type: 'select', choices: SCAN_SCHEDULES },
    scheduleTime: { type: 'text', help: 'HH:MM, local time in the time zone.' },
    scheduleWeekday: { type: 'integer', help: '0 = Sunday … 6 = Saturday (weekly schedules).' },
    timezone: { type: 'text', label: 'Time zone' },
    notify: { type: 'boolean', help: 'Mail the owner about drops, new failures, expiries.' },
    tags: { type: 'tags' },
    lastGrade: { type: 'select', choices: SCAN_GRADES, readonly: true, label: 'Latest grade' },
    lastScore: { type: 'integer', readonly: true, label: 'Latest score' },
    lastScannedAt: { type: 'datetime', readonly: true, label: 'Last scanned' },
    nextScanAt: { type: 'datetime', readonly: true, label: 'Next scan' },
    createdAt: { type: 'datetime', readonly: true, label: 'Registered' },
    updatedAt: { type: 'datetime', readonly: true, label: 'Updated' },
    deletedAt: { type: 'datetime', readonly: true, label: 'Deleted' },
  },
  list: ['name', 'url', 'ownerId', 'verified', 'schedule', 'lastGrade', 'lastScannedAt'],
  search: ['name', 'url'],
  filters: ['verified', 'schedule', 'ownerId', 'lastGrade', 'tags', 'createdAt'],
  sortable: ['createdAt', 'name', 'lastScore', 'lastScannedAt', 'nextScanAt'],
  defaultSort: '-createdAt',
  access: { list: 'staff', view: 'staff', create: false, edit: 'staff', delete: 'admin' },
  // Registering a target is its owner's (it needs their proof); staff change and remove them.
  write: { update: scanTargetUpdateSchema },
  softDelete: 'deletedAt',
  restorable: true,
  service: {
    update: (ctx, before, input) => updateTarget(ctx.db, staffViewer(ctx), before.id, input),
    remove: (ctx, before) => deleteTarget(ctx.db, staffViewer(ctx), before.id),
  },
  hooks: {
    // A delete stops the schedule; bringing the target back starts it again.
    async afterWrite(ctx, event) {
      if (event.kind !== 'restore' || !event.after?.verifiedAt) return;
      await ctx.db
        .update(scanTargets)
        .set({ nextScanAt: nextScanAt(event.after, new Date()) })
        .where(eq(scanTargets.id, event.after.id));
    },
  },
  actions: [
    {
      name: 'rescan',
      label: 'Rescan',
      description: 'Queues a new scan now (not within a minute of the last one).',
      async run(ctx, row) {
        const { scan, created } = await requestScan(asDatabase(ctx), {
          viewer: staffViewer(ctx),
          targetId: row.id,
          // A rescan is asked for on purpose: a recent result is no answer to it.
          force: true,
          trigger: 'manual',
          manualQuota: ctx.config.scans.manualQuota,
          jobs: { enqueue: ctx.enqueue },
        });
        if (!created) throw conflict(`A scan of this target is already ${scan.state}.`);
      },
    },
    {
      name: 'mark-verified',
      label: 'Mark verified',
      description: 'Records staff as the proof of ownership; scheduled scans start.',
      access: 'staff',
      appliesTo: (row) => !row.verifiedAt,
      async run(ctx, row) {
        if (row.verifiedAt) return;
        const after = await markVerified(ctx.db, row, 'staff');
        return {
          verified: true,
          verifiedAt: after.verifiedAt,
          verificationMethod: after.verificationMethod,
          nextScanAt: after.nextScanAt,
        };
      },
    },
  ],
  inlines: [{ name: 'scans', label: 'Scans', resource: 'scans', field: 'targetId' }],
  viewOnSite: (row) => `/scans/targets/${row.id}`,
});

/** Scans are written by the scan job only: read-only here. */
export const scansAdmin = defineAdminResource({
  name: 'scans',
  label: 'Scan',
  table: scans,
  title: 'url',
  fields: {
    targetId: { type: 'fk', ref: 'scan-targets', label: 'Target' },
    url: { type: 'url', label: 'URL' },
    state: { type: 'select', choices: SCAN_STATES },
    trigger: { type: 'select', choices: ['manual', 'schedule', 'api'] },
    grade: { type: 'select', choices: SCAN_GRADES },
    score: { type: 'integer' },
    extraGrade: { type: 'select', choices: SCAN_GRADES, label: 'Extra grade' },
    extraScore: { type: 'integer', label: 'Extra score' },
    failed: { type: 'integer', label: 'Failed tests' },
    progress: { type: 'integer' },
    stage: { type: 'text' },
    error: { type: 'textarea' },
    requestedBy: { type: 'fk', ref: 'users', label: 'Requested by' },
    createdAt: { type: 'datetime', label: 'Queued' },
    startedAt: { type: 'datetime', label: 'Started' },
    finishedAt: { type: 'datetime', label: 'Finished' },
  },
  list: ['targetId', 'state', 'grade', 'score', 'trigger', 'createdAt', 'finishedAt'],
  search: ['url'],
  filters: ['targetId', 'state', 'grade', 'trigger', 'createdAt'],
  sortable: ['createdAt', 'finishedAt', 'score'],
  defaultSort: '-createdAt',
  // The report: findings, the score arithmetic, the raw output.
  viewOnSite: (row) => `/scans/results/${row.id}`,
});

export const scansAdminResources = [scanTargetsAdmin, scansAdmin];
