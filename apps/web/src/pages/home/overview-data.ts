import type { JobsOverview, LeadStats } from '@bastion/contract';
import type { RouteLocationRaw } from 'vue-router';
import type { Viewer } from '../../navigation';
import { accountsApi } from '../auth/accounts-api';
import { adminApi } from '../admin/admin-api';
import { crmApi } from '../crm/crm-api';
import { jobsApi } from '../jobs/jobs-api';
import { moduleIcons, type ModuleId } from './modules';

// The signed-in home page: one card per module the viewer may use, each with a few live counts
// read from the module's existing endpoints, and links into it. A module gets a card here when it
// lands; nothing unbuilt is shown.

export interface Stat {
  label: string;
  value: number;
  /** Where the number leads (e.g. the list filtered to it). */
  to?: RouteLocationRaw;
}

export interface OverviewModule {
  id: ModuleId;
  title: string;
  description: string;
  icon: string;
  links: { label: string; to: RouteLocationRaw }[];
  load(): Promise<Stat[]>;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export function leadStats(stats: LeadStats): Stat[] {
  const count = (status: string) => stats.by_status.find((row) => row.status === status)?.count;
  const open = sum(['new', 'contacted', 'qualified'].map((status) => count(status) ?? 0));
  return [
    { label: 'Leads', value: sum(stats.by_status.map((row) => row.count)), to: '/crm/leads' },
    { label: 'Open', value: open, to: '/crm/board' },
    { label: 'New in 7 days', value: sum(stats.per_day.slice(-7).map((day) => day.count)) },
    {
      label: 'Converted',
      value: count('converted') ?? 0,
      to: { path: '/crm/leads', query: { status: 'converted' } },
    },
  ];
}

export function jobStats(overview: JobsOverview): Stat[] {
  const total = (state: 'created' | 'retry' | 'active' | 'failed') =>
    sum(overview.queues.map((queue) => queue.counts[state]));
  return [
    { label: 'Running', value: total('active') },
    { label: 'Waiting', value: total('created') + total('retry') },
    { label: 'Failed', value: total('failed') },
    { label: 'Done in the last hour', value: sum(overview.throughput.map((p) => p.completed)) },
  ];
}

async function newsletterStats(): Promise<Stat[]> {
  const count = (status: 'confirmed' | 'pending') =>
    crmApi.subscribers({ status, page_size: 1 }).then((page) => page.count);
  const [confirmed, pending] = await Promise.all([count('confirmed'), count('pending')]);
  return [
    { label: 'Subscribers', value: confirmed, to: '/crm/newsletter' },
    { label: 'Awaiting confirmation', value: pending },
  ];
}

async function adminStats(): Promise<Stat[]> {
  const [users, keys] = await Promise.all([
    adminApi.users({ limit: 1, offset: 0 }),
    adminApi.apiKeys(),
  ]);
  return [
    { label: 'Users', value: users.total, to: '/admin/users' },
    {
      label: 'Active API keys',
      value: keys.items.filter((key) => key.revokedAt === null).length,
      to: '/admin/api-keys',
    },
  ];
}

async function accountStats(): Promise<Stat[]> {
  const [sessions, tokens] = await Promise.all([accountsApi.sessions(), accountsApi.tokens()]);
  return [
    { label: 'Signed-in sessions', value: sessions.items.length, to: '/profile' },
    {
      label: 'Personal API tokens',
      value: tokens.items.filter((token) => token.revokedAt === null).length,
      to: '/profile',
    },
  ];
}

/** The cards the viewer sees, in menu order; each loads its counts on its own. */
export function overviewModules(viewer: Viewer): OverviewModule[] {
  const modules: OverviewModule[] = [];
  if (viewer.staff) {
    modules.push(
      {
        id: 'crm',
        title: 'CRM',
        description: 'Leads from the website and imports, worked through the pipeline.',
        icon: moduleIcons.crm,
        links: [
          { label: 'Dashboard', to: '/crm' },
          { label: 'Leads', to: '/crm/leads' },
          { label: 'Pipeline', to: '/crm/board' },
          { label: 'Import', to: '/crm/import' },
        ],
        load: () => crmApi.stats().then(leadStats),
      },
      {
        id: 'newsletter',
        title: 'Newsletter',
        description: 'Subscriptions with double opt-in and one-click unsubscribe.',
        icon: moduleIcons.newsletter,
        links: [{ label: 'Subscribers', to: '/crm/newsletter' }],
        load: newsletterStats,
      },
      {
        id: 'jobs',
        title: 'Jobs',
        description: 'Background work on the queues, retries and schedules.',
        icon: moduleIcons.jobs,
        links: [{ label: 'Jobs dashboard', to: '/jobs' }],
        load: () => jobsApi.overview().then(jobStats),
      },
    );
  }
  if (viewer.admin) {
    modules.push({
      id: 'admin',
      title: 'Admin',
      description: 'People, API keys for other systems, the audit log and the mail outbox.',
      icon: moduleIcons.admin,
      links: [
        { label: 'Users', to: '/admin/users' },
        { label: 'API keys', to: '/admin/api-keys' },
        { label: 'Audit log', to: '/admin/audit' },
        { label: 'Mail outbox', to: '/admin/mail' },
      ],
      load: adminStats,
    });
  }
  modules.push({
    id: 'accounts',
    title: 'Your account',
    description: 'Profile, password, where you are signed in, and personal API tokens.',
    icon: moduleIcons.accounts,
    links: [{ label: 'Account settings', to: '/profile' }],
    load: accountStats,
  });
  return modules;
}
