// Dates and times for people, in the browser's locale and time zone. Every page formats through
// these, so one kind of value reads the same everywhere. Missing values show as a dash.

type Instant = string | null | undefined;

const MISSING = '—';
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});
// Recent work (jobs, schedules): to the second, the year left out.
const timestampFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function format(formatter: Intl.DateTimeFormat, value: Instant): string {
  if (!value) return MISSING;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? MISSING : formatter.format(date);
}

/** The day only: "Mar 4, 2026" (when a lead came in). */
export const formatDay = (value: Instant): string => format(dayFormat, value);

/** Day and time to the minute: "Mar 4, 2026, 3:05 PM" (sign-ins, audit events, mail). */
export const formatDateTime = (value: Instant): string => format(dateTimeFormat, value);

/** Day and time to the second, without the year: "Mar 4, 03:05:09 PM" (jobs, schedules). */
export const formatTimestamp = (value: Instant): string => format(timestampFormat, value);
