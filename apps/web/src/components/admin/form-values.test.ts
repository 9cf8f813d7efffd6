import { describe, expect, it } from 'vitest';
import { inSentence, formatValue } from './format';
import { FieldInputError, fromInput, toInput } from './form-values';

describe('form values by field type', () => {
  it('turns API values into control values and back', () => {
    expect(toInput({ type: 'boolean' }, null)).toBe(false);
    expect(toInput({ type: 'fk' }, null)).toBeNull();
    expect(toInput({ type: 'text' }, null)).toBe('');
    expect(toInput({ type: 'tags' }, ['a', 'b'])).toBe('a, b');
    expect(fromInput({ type: 'tags' }, 'a, b ,,c')).toEqual(['a', 'b', 'c']);
    expect(toInput({ type: 'date' }, '2026-03-04')).toBe('2026-03-04');
    expect(fromInput({ type: 'number' }, '12.5')).toBe(12.5);
    expect(fromInput({ type: 'text' }, '  ')).toBeNull();
    expect(fromInput({ type: 'json' }, '{"a":1}')).toEqual({ a: 1 });
    const iso = '2026-03-04T10:05:00.000Z';
    expect(fromInput({ type: 'datetime' }, toInput({ type: 'datetime' }, iso))).toBe(iso);
  });

  it('refuses text that cannot be the type, with words for the field', () => {
    expect(() => fromInput({ type: 'integer' }, '1.5')).toThrow(FieldInputError);
    expect(() => fromInput({ type: 'number' }, 'abc')).toThrow('Enter a number.');
    expect(() => fromInput({ type: 'json' }, '{')).toThrow('Not valid JSON.');
  });

  it('formats cells and sentences', () => {
    const status = { type: 'select' as const, choices: [{ value: 'new', label: 'New' }] };
    expect(formatValue(status, 'new')).toBe('New');
    expect(formatValue({ type: 'boolean' }, false)).toBe('No');
    expect(formatValue({ type: 'text' }, null)).toBe('—');
    expect(inSentence('Lead')).toBe('lead');
    expect(inSentence('API key')).toBe('API key');
  });
});
