import type { AdminFieldMeta } from '@bastion/contract';
import { computed, ref, type Ref } from 'vue';
import { ApiError, describeFailure } from '../../api/client';
import { FieldInputError, fromInput, toInput, type InputValue } from './form-values';

/**
 * The generated form's state: the inputs' values (as the controls hold them), what they were
 * when loaded, and errors per field. `payload` turns the values into the API's body — only what
 * changed on an object, what was filled in on a new one — or stops at the fields it cannot read.
 */
export function useRecordForm(fields: Ref<AdminFieldMeta[]>, inputs: Ref<AdminFieldMeta[]>) {
  const values = ref<Record<string, InputValue>>({});
  const initial = ref<Record<string, InputValue>>({});
  const errors = ref<Record<string, string>>({});
  const formError = ref('');

  const dirty = computed(() =>
    inputs.value.some((f) => values.value[f.name] !== initial.value[f.name]),
  );

  function fill(record: Record<string, unknown>) {
    const next: Record<string, InputValue> = {};
    for (const field of fields.value) next[field.name] = toInput(field, record[field.name]);
    values.value = next;
    initial.value = { ...next };
    errors.value = {};
    formError.value = '';
  }

  function payload(isNew: boolean): Record<string, unknown> | null {
    const chosen = isNew
      ? inputs.value.filter(
          (f) =>
            f.type === 'boolean' || (values.value[f.name] !== '' && values.value[f.name] !== null),
        )
      : inputs.value.filter((f) => values.value[f.name] !== initial.value[f.name]);
    const out: Record<string, unknown> = {};
    const problems: Record<string, string> = {};
    for (const field of chosen) {
      try {
        out[field.name] = fromInput(field, values.value[field.name] ?? null);
      } catch (failure) {
        if (failure instanceof FieldInputError) problems[field.name] = failure.message;
      }
    }
    errors.value = problems;
    formError.value = '';
    return Object.keys(problems).length ? null : out;
  }

  /** A refused save: the API's field errors next to their fields, anything else above them. */
  function showFailure(failure: unknown) {
    if (failure instanceof ApiError && failure.details.length) {
      errors.value = failure.fieldErrors();
      const known = Object.keys(errors.value).some((key) =>
        inputs.value.some((f) => f.name === key),
      );
      formError.value = known ? 'Check the highlighted fields.' : failure.message;
    } else {
      formError.value = describeFailure(failure);
    }
  }

  return { values, errors, formError, dirty, fill, payload, showFailure };
}
