import { defineStore } from 'pinia';
import { ref } from 'vue';

export type ToastTone = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  message?: string;
}

export interface ToastInput {
  tone?: ToastTone;
  title: string;
  message?: string;
  /** Milliseconds before it goes away; 0 keeps it until dismissed. */
  timeout?: number;
}

// Errors stay longer: they are the ones people need time to read.
const DEFAULT_TIMEOUT: Record<ToastTone, number> = { success: 5000, info: 5000, error: 10000 };
const MAX_VISIBLE = 5;

export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextId = 1;

  function dismiss(id: number) {
    clearTimeout(timers.get(id));
    timers.delete(id);
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  function push({ tone = 'info', title, message, timeout }: ToastInput): number {
    const id = nextId++;
    toasts.value.push(message === undefined ? { id, tone, title } : { id, tone, title, message });
    const delay = timeout ?? DEFAULT_TIMEOUT[tone];
    if (delay > 0)
      timers.set(
        id,
        setTimeout(() => dismiss(id), delay),
      );
    const oldest = toasts.value[0];
    if (toasts.value.length > MAX_VISIBLE && oldest) dismiss(oldest.id);
    return id;
  }

  const success = (title: string, message?: string) => push({ tone: 'success', title, message });
  const error = (title: string, message?: string) => push({ tone: 'error', title, message });
  const info = (title: string, message?: string) => push({ tone: 'info', title, message });

  return { toasts, push, dismiss, success, error, info };
});
