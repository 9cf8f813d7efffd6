import type { HomeStat } from '../../web-module';
import { scansApi } from './scans-api';

// The scans module's figures on the home page (loaded lazily by its card in index.ts).
export async function scansStats(): Promise<HomeStat[]> {
  const page = await scansApi.listTargets({ limit: 200, offset: 0 });
  const graded = page.items.filter((target) => target.lastScan?.grade);
  const failing = graded.filter((target) => /^[DF]/.test(target.lastScan?.grade ?? ''));
  const total: HomeStat = { label: 'Targets', value: page.total, to: '/scans' };
  // The other figures count the loaded page: shown only when it holds every target.
  if (page.total > page.items.length) return [total];
  return [
    total,
    { label: 'Verified', value: page.items.filter((target) => target.verified).length },
    { label: 'Graded D or F', value: failing.length },
  ];
}
