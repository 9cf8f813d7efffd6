import { computed, shallowReactive } from 'vue';

// The modal dialogs open now, oldest first. A modal <dialog> makes everything outside it inert
// (unclickable, hidden from screen readers), so what must stay usable above it, the toasts,
// moves into the topmost one while it is open (AppToasts.vue).
const openModals = shallowReactive<HTMLDialogElement[]>([]);

export const topModal = computed(() => openModals.at(-1) ?? null);

export function modalOpened(dialog: HTMLDialogElement): void {
  if (!openModals.includes(dialog)) openModals.push(dialog);
}

export function modalClosed(dialog: HTMLDialogElement): void {
  const index = openModals.indexOf(dialog);
  if (index >= 0) openModals.splice(index, 1);
}
