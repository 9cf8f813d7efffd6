import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { ApiError } from '../../api/client';
import { metaField } from './test-meta';
import { useRecordForm } from './use-record-form';

const fields = [
  metaField('fullName', 'Name'),
  metaField('value', 'Value', 'number'),
  metaField('vip', 'VIP', 'boolean'),
  metaField('createdAt', 'Created', 'datetime', { editable: false }),
];
const inputs = fields.slice(0, 3);

describe('the generated form', () => {
  it('sends only what changed on an object, and what was filled in on a new one', () => {
    const form = useRecordForm(ref(fields), ref(inputs));
    form.fill({ fullName: 'Ada', value: 10, vip: false, createdAt: '2026-01-01T00:00:00.000Z' });
    expect(form.dirty.value).toBe(false);
    expect(form.payload(false)).toEqual({});
    form.values.value.value = '12.5';
    expect(form.dirty.value).toBe(true);
    expect(form.payload(false)).toEqual({ value: 12.5 });

    const blank = useRecordForm(ref(fields), ref(inputs));
    blank.fill({});
    blank.values.value.fullName = 'Grace';
    // Booleans always go (unchecked is a value); empty text and numbers stay out.
    expect(blank.payload(true)).toEqual({ fullName: 'Grace', vip: false });
  });

  it('stops at a value the field cannot take, and shows the API’s field errors', () => {
    const form = useRecordForm(ref(fields), ref(inputs));
    form.fill({ fullName: 'Ada', value: 1, vip: true });
    form.values.value.value = 'lots';
    expect(form.payload(false)).toBeNull();
    expect(Object.keys(form.errors.value)).toEqual(['value']);

    form.showFailure(
      new ApiError(400, 'validation_error', 'Invalid input.', [
        { path: ['fullName'], message: 'Too long.' },
      ]),
    );
    expect(form.errors.value).toEqual({ fullName: 'Too long.' });
    expect(form.formError.value).toBe('Check the highlighted fields.');
    form.showFailure(
      new ApiError(409, 'conflict', 'Changed meanwhile.', [{ path: ['x'], message: 'm' }]),
    );
    expect(form.formError.value).toBe('Changed meanwhile.');
  });
});
