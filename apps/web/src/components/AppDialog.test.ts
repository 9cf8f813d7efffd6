import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, nextTick, ref } from 'vue';
import { useToastStore } from '../stores/toasts';
import AppDialog from './AppDialog.vue';
import AppToasts from './AppToasts.vue';

// happy-dom has <dialog> without the browser's keyboard handling: these tests drive the events
// Chromium sends (cancel on Esc, close); e2e/admin-accounts.test.ts presses the real keys.
const Host = defineComponent({
  components: { AppDialog, AppToasts },
  props: { dismissible: { type: Boolean, default: true } },
  setup: () => ({ open: ref(false) }),
  template: `
    <button id="opener" @click="open = true">Open</button>
    <AppDialog
      v-model:open="open"
      title="Delete lead"
      description="This cannot be undone."
      :dismissible="dismissible"
    >
      <input id="first" aria-label="Reason" />
      <template #footer="{ close }">
        <button id="cancel" @click="close">Cancel</button>
      </template>
    </AppDialog>
    <AppToasts />
  `,
});

let wrapper: VueWrapper | undefined;

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

async function openDialog(props: { dismissible?: boolean } = {}) {
  const showModal = vi.spyOn(HTMLDialogElement.prototype, 'showModal');
  wrapper = mount(Host, { props, attachTo: document.body });
  const opener = document.getElementById('opener') as HTMLButtonElement;
  opener.focus();
  opener.click();
  await nextTick();
  await nextTick();
  const dialog = document.querySelector('dialog')!;
  return { opener, dialog, showModal, isOpen: () => dialog.open && dialog.textContent !== '' };
}

describe('AppDialog', () => {
  it('opens as the browser modal dialog, labelled and described, focusing its first field', async () => {
    const { dialog, showModal, isOpen } = await openDialog();

    expect(showModal).toHaveBeenCalledTimes(1);
    expect(isOpen()).toBe(true);
    const title = document.getElementById(dialog.getAttribute('aria-labelledby') ?? '');
    expect(title?.textContent).toBe('Delete lead');
    const description = document.getElementById(dialog.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent?.trim()).toBe('This cannot be undone.');
    // Its first field, not the close button that comes first in the dialog.
    expect(document.activeElement?.id).toBe('first');
    expect(document.body.classList.contains('overflow-hidden')).toBe(true);
  });

  it('closes on Esc (the cancel event) and returns focus to the opener', async () => {
    const { opener, dialog, isOpen } = await openDialog();

    const cancel = new Event('cancel', { cancelable: true });
    dialog.dispatchEvent(cancel);
    await nextTick();

    expect(cancel.defaultPrevented).toBe(true); // The model closes it, not the browser.
    expect(isOpen()).toBe(false);
    expect(document.activeElement).toBe(opener);
    expect(document.body.classList.contains('overflow-hidden')).toBe(false);
  });

  it('stays open while not dismissible, even when the browser closes it', async () => {
    const { dialog, showModal, isOpen } = await openDialog({ dismissible: false });
    expect(dialog.querySelector('[aria-label="Close dialog"]')).toBeNull();

    dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    await nextTick();
    expect(isOpen()).toBe(true);

    dialog.close(); // What Chrome does on a second Esc in a row.
    await nextTick();
    expect(showModal).toHaveBeenCalledTimes(2);
    expect(isOpen()).toBe(true);
  });

  it('closes on a click on the backdrop, not on one that only ends there', async () => {
    const { dialog, isOpen } = await openDialog();
    const field = document.getElementById('first')!;

    field.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    dialog.dispatchEvent(new MouseEvent('click', { bubbles: true })); // A selection dragged out.
    await nextTick();
    expect(isOpen()).toBe(true);

    dialog.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    dialog.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await nextTick();
    expect(isOpen()).toBe(false);
  });

  it('closes from the footer slot and from the close button', async () => {
    const { dialog, isOpen } = await openDialog();
    (document.getElementById('cancel') as HTMLButtonElement).click();
    await nextTick();
    expect(isOpen()).toBe(false);

    (document.getElementById('opener') as HTMLButtonElement).click();
    await nextTick();
    await nextTick();
    expect(isOpen()).toBe(true);
    dialog.querySelector<HTMLButtonElement>('[aria-label="Close dialog"]')!.click();
    await nextTick();
    expect(isOpen()).toBe(false);
  });

  // The page behind a modal dialog is inert: toasts left there could not be read or dismissed.
  it('shows toasts inside the open dialog, and back on the page once it closes', async () => {
    const { dialog } = await openDialog();
    useToastStore().error('Could not copy');
    await nextTick();
    const region = () => document.querySelector('section[aria-label="Notifications"]')!;
    expect(dialog.contains(region())).toBe(true);
    expect(region().textContent).toContain('Could not copy');

    (document.getElementById('cancel') as HTMLButtonElement).click();
    await nextTick();
    expect(dialog.contains(region())).toBe(false);
    expect(region().textContent).toContain('Could not copy');
  });
});
