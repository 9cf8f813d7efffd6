import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, nextTick, ref } from 'vue';
import AppDialog from './AppDialog.vue';

const Host = defineComponent({
  components: { AppDialog },
  setup: () => ({ open: ref(false) }),
  template: `
    <button id="opener" @click="open = true">Open</button>
    <AppDialog v-model:open="open" title="Delete lead" description="This cannot be undone.">
      <input id="first" aria-label="Reason" />
      <template #footer="{ close }">
        <button id="cancel" @click="close">Cancel</button>
      </template>
    </AppDialog>
  `,
});

let wrapper: VueWrapper | undefined;

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

async function openDialog() {
  wrapper = mount(Host, { attachTo: document.body });
  const opener = document.getElementById('opener') as HTMLButtonElement;
  opener.focus();
  opener.click();
  await nextTick();
  await nextTick();
  return { opener, dialog: () => document.querySelector<HTMLElement>('[role="dialog"]') };
}

function press(key: string, shiftKey = false) {
  const event = new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true });
  document.activeElement?.dispatchEvent(event);
  return event;
}

describe('AppDialog', () => {
  it('opens as a labelled modal dialog and focuses its first field', async () => {
    const { dialog } = await openDialog();
    const element = dialog();

    expect(element).not.toBeNull();
    expect(element?.getAttribute('aria-modal')).toBe('true');
    const title = document.getElementById(element?.getAttribute('aria-labelledby') ?? '');
    expect(title?.textContent).toBe('Delete lead');
    const description = document.getElementById(element?.getAttribute('aria-describedby') ?? '');
    expect(description?.textContent?.trim()).toBe('This cannot be undone.');
    expect(document.activeElement?.id).toBe('first');
  });

  it('closes on Escape and returns focus to the opener', async () => {
    const { opener, dialog } = await openDialog();

    press('Escape');
    await nextTick();

    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Tab inside the dialog', async () => {
    await openDialog();
    const cancel = document.getElementById('cancel') as HTMLButtonElement;

    cancel.focus();
    const forward = press('Tab');
    expect(forward.defaultPrevented).toBe(true);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close dialog');

    const backward = press('Tab', true);
    expect(backward.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(cancel);
  });

  it('closes from the footer slot and from the close button', async () => {
    const { dialog } = await openDialog();
    (document.getElementById('cancel') as HTMLButtonElement).click();
    await nextTick();
    expect(dialog()).toBeNull();
  });
});
