import type { Command } from '../cli/main.js';
import { seedDemo } from './seed.js';

export const demoCommands: Record<string, Command> = {
  'demo:seed': {
    description: 'Fill every module with sample data (leads, subscribers, staff, jobs); once.',
    async run(context) {
      if (context.config.isProduction) {
        throw new Error('demo data is for development and evaluation, not production');
      }
      const { db, url } = await context.database();
      const summary = await seedDemo({ db, url, logger: context.logger });
      if (!summary) {
        console.log('The demo data is already loaded in this database.');
        return;
      }
      console.log(
        `Demo data loaded: ${summary.leads} leads with their timelines, ${summary.subscribers} ` +
          `newsletter subscribers, ${summary.staff} sales staff (they cannot sign in), ` +
          `${summary.jobs} jobs. Open ${context.config.publicUrl}/crm`,
      );
    },
  },
};
