import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { useForm } from './useForm';

describe('useForm', () => {
  it('returns the result and clears the previous errors when the call succeeds', async () => {
    const form = useForm();
    form.error.value = 'old';
    form.fieldErrors.value = { email: 'old' };
    const pending = form.run(async () => 42);
    expect(form.loading.value).toBe(true);
    expect(await pending).toBe(42);
    expect(form.loading.value).toBe(false);
    expect(form.error.value).toBe('');
    expect(form.fieldErrors.value).toEqual({});
  });

  it("fills the field errors and the server's code from an API error", async () => {
    const form = useForm();
    const invalid = new ApiError(400, 'validation_failed', 'Some fields are invalid.', [
      { path: ['email'], message: 'Enter a valid email address.' },
    ]);
    expect(await form.run(() => Promise.reject(invalid))).toBeUndefined();
    expect(form.fieldErrors.value).toEqual({ email: 'Enter a valid email address.' });
    expect(form.error.value).toBe('Please correct the highlighted fields.');
    expect(form.errorCode.value).toBe('validation_failed');

    await form.run(() => Promise.reject(new ApiError(409, 'conflict', 'Taken.')));
    expect(form.error.value).toBe('Taken.');
    await form.run(() => Promise.reject(new TypeError('boom')));
    expect(form.error.value).toBe('Something went wrong. Please try again.');
  });
});
