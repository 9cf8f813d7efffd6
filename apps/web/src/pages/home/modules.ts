// What this Bastion can do, as the home page tells it: only modules that work. A new module adds
// its entry here (and its card in overview-data.ts) when it lands.

export type ModuleId = 'accounts' | 'crm' | 'newsletter' | 'jobs' | 'admin';

/** 20×20 stroke icons, one per module. */
export const moduleIcons: Record<ModuleId, string> = {
  accounts: 'M10 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM3.5 16.5a6.5 6.5 0 0 1 13 0',
  crm: 'M3 5.5h14v9H3zM3 6l7 5 7-5',
  newsletter: 'M4 3.5h12v13H4zM7 7h6M7 10h6M7 13h3',
  jobs: 'M10 17.5a7.5 7.5 0 1 0 0-15 7.5 7.5 0 0 0 0 15ZM10 6v4l2.5 2.5',
  admin: 'M3 5h14M3 10h14M3 15h14M7 3.5v3M13 8.5v3M9 13.5v3',
};

export interface ModuleSummary {
  id: ModuleId;
  name: string;
  /** Who may use it, in words. */
  audience: string;
  description: string;
}

/** For visitors: what there is once signed in, and for whom. */
export const moduleSummaries: ModuleSummary[] = [
  {
    id: 'accounts',
    name: 'Accounts',
    audience: 'Everyone',
    description:
      'Sign-up with email confirmation, password reset, a list of your sessions to sign out of, and personal API tokens.',
  },
  {
    id: 'crm',
    name: 'CRM',
    audience: 'Staff',
    description:
      'Leads from the website API and CSV imports, a pipeline board, a timeline per lead, and a newsletter with double opt-in.',
  },
  {
    id: 'jobs',
    name: 'Jobs',
    audience: 'Staff',
    description:
      'Background work on queues with retries and a dead-letter queue, cron schedules, and a live dashboard.',
  },
  {
    id: 'admin',
    name: 'Admin',
    audience: 'Admins',
    description:
      'Users and roles, API keys for other systems, an audit log of every sensitive action, and the mail outbox.',
  },
];
