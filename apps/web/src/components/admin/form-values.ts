import type { AdminFieldMeta } from '@bastion/contract';

// Between a record's values (JSON from the API) and what form controls hold (strings, booleans),
// by field type. `fromInput` throws a FieldInputError for text that cannot be the type.

export type InputValue = string | boolean | null;

export class FieldInputError extends Error {}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An ISO instant as `<input type="datetime-local">` wants it, in the browser's time zone. */
export function toLocalDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function toInput(field: Pick<AdminFieldMeta, 'type'>, value: unknown): InputValue {
  if (field.type === 'boolean') return Boolean(value);
  if (value === null || value === undefined) return field.type === 'fk' ? null : '';
  switch (field.type) {
    case 'json':
      return JSON.stringify(value, null, 2);
    case 'tags':
      return Array.isArray(value) ? value.join(', ') : String(value as string);
    case 'date':
      return String(value as string).slice(0, 10);
    case 'datetime':
      return toLocalDateTime(String(value as string));
    default:
      return String(value as string | number);
  }
}

export function fromInput(field: Pick<AdminFieldMeta, 'type'>, input: InputValue): unknown {
  if (field.type === 'boolean') return Boolean(input);
  const text = typeof input === 'string' ? input.trim() : input;
  if (text === null || text === '') return field.type === 'tags' ? [] : null;
  switch (field.type) {
    case 'number':
    case 'integer': {
      const number = Number(text);
      if (!Number.isFinite(number)) throw new FieldInputError('Enter a number.');
      if (field.type === 'integer' && !Number.isInteger(number)) {
        throw new FieldInputError('Enter a whole number.');
      }
      return number;
    }
    case 'json':
      try {
        return JSON.parse(String(text)) as unknown;
      } catch {
        throw new FieldInputError('Not valid JSON.');
      }
    case 'tags':
      return String(text)
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean);
    case 'datetime': {
      const date = new Date(String(text));
      if (Number.isNaN(date.getTime())) throw new FieldInputError('Enter a date and time.');
      return date.toISOString();
    }
    default:
      return text;
  }
}

/** The fields whose input differs from the loaded values: what an update sends. */
export function changedValues(
  fields: AdminFieldMeta[],
  initial: Record<string, InputValue>,
  current: Record<string, InputValue>,
): string[] {
  return fields.filter((field) => initial[field.name] !== current[field.name]).map((f) => f.name);
}
