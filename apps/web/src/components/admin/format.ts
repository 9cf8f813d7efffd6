import type { AdminFieldMeta } from '@bastion/contract';
import { formatDateTime, formatDay } from '../../lib/dates';

// How a value of each field kind reads in a list cell, a history diff or a CSV-less summary.

const MISSING = '—';

export function formatValue(
  field: Pick<AdminFieldMeta, 'type' | 'choices'> | undefined,
  value: unknown,
): string {
  if (value === null || value === undefined || value === '') return MISSING;
  switch (field?.type) {
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'date':
      return typeof value === 'string'
        ? formatDay(`${value.slice(0, 10)}T00:00:00`)
        : String(value);
    case 'datetime':
      return typeof value === 'string' ? formatDateTime(value) : String(value);
    case 'select':
      return (
        field.choices?.find((choice) => choice.value === String(value))?.label ?? String(value)
      );
    case 'tags':
      return Array.isArray(value) ? value.join(', ') || MISSING : String(value);
    case 'json':
      return JSON.stringify(value);
    default:
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value as string | number);
  }
}

/** A record's name for headings and breadcrumbs: its title field, else its id. */
export function recordTitle(record: Record<string, unknown>, title: string): string {
  const value = record[title];
  return value === null || value === undefined || value === ''
    ? `#${String(record.id)}`
    : String(value as string);
}

/** A label inside a sentence: "Lead" → "lead", but "API key" stays (an acronym leads). */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}
