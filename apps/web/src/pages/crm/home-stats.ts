import type { LeadStats } from '@bastion/contract';
import type { HomeStat } from '../../web-module';
import { crmApi } from './crm-api';

// The CRM's figures on the home page (loaded lazily by its cards in index.ts).

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export function leadStats(stats: LeadStats): HomeStat[] {
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

export const crmStats = () => crmApi.stats().then(leadStats);

export async function newsletterStats(): Promise<HomeStat[]> {
  const count = (status: 'confirmed' | 'pending') =>
    crmApi.subscribers({ status, page_size: 1 }).then((page) => page.count);
  const [confirmed, pending] = await Promise.all([count('confirmed'), count('pending')]);
  return [
    { label: 'Subscribers', value: confirmed, to: '/crm/newsletter' },
    { label: 'Awaiting confirmation', value: pending },
  ];
}
