import { CronExpressionParser } from 'cron-parser';

export interface TargetSchedule {
  schedule: string;
  scheduleTime: string;
  scheduleWeekday: number;
  timezone: string;
}

/**
 * When a target's schedule next falls due after `from`: its time of day in its own time zone
 * (daily), on its weekday too (weekly). cron-parser does the zone arithmetic, daylight-saving
 * jumps included. null for `off`.
 */
export function nextScanAt(target: TargetSchedule, from: Date): Date | null {
  if (target.schedule !== 'daily' && target.schedule !== 'weekly') return null;
  const [hour, minute] = target.scheduleTime.split(':').map(Number);
  const weekday = target.schedule === 'weekly' ? String(target.scheduleWeekday) : '*';
  const expression = CronExpressionParser.parse(`${minute} ${hour} * * ${weekday}`, {
    tz: target.timezone,
    currentDate: from,
  });
  return expression.next().toDate();
}
