import { ref } from 'vue';
import { ApiError } from '../api/client';

/**
 * Submit state of a form: loading flag, the server's message, and field errors keyed by field
 * name (for `<AppField :error>`). `run` clears them, calls the API and fills them on failure.
 */
export function useForm() {
  const loading = ref(false);
  const error = ref('');
  const errorCode = ref('');
  const fieldErrors = ref<Record<string, string>>({});

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    loading.value = true;
    error.value = '';
    errorCode.value = '';
    fieldErrors.value = {};
    try {
      return await action();
    } catch (cause) {
      if (cause instanceof ApiError) {
        fieldErrors.value = cause.fieldErrors();
        errorCode.value = cause.code;
        error.value =
          cause.details.length > 0 ? 'Please correct the highlighted fields.' : cause.message;
      } else {
        error.value = 'Something went wrong. Please try again.';
      }
      return undefined;
    } finally {
      loading.value = false;
    }
  }

  return { loading, error, errorCode, fieldErrors, run };
}
