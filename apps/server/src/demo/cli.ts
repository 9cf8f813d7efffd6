import type { Command } from '../cli/command.js';
import { seedDemo } from './seed.js';

export const demoCommands: Record<string, Command> = {
  'demo:seed': {
    description:
      "Fill every module with sample data (its manifest's demo part); once per database.",
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
      const counts = Object.entries(summary).map(([what, n]) => `${n} ${what}`);
      console.log(`Demo data loaded: ${counts.join(', ')}. Open ${context.config.publicUrl}`);
    },
  },
};
