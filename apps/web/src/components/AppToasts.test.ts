import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { useToastStore } from '../stores/toasts';
import AppToasts from './AppToasts.vue';

describe('toasts', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('announces toasts in a polite live region', async () => {
    const wrapper = mount(AppToasts);
    const region = wrapper.get('section');
    expect(region.attributes('aria-live')).toBe('polite');
    expect(region.attributes('aria-label')).toBe('Notifications');

    useToastStore().success('Lead saved', 'Ada Lovelace was added.');
    await nextTick();

    expect(region.text()).toContain('Lead saved');
    expect(region.text()).toContain('Ada Lovelace was added.');
  });

  it('dismisses a toast with its close button', async () => {
    const wrapper = mount(AppToasts);
    useToastStore().error('Could not save');
    await nextTick();

    await wrapper.get('button[aria-label="Dismiss notification"]').trigger('click');

    expect(useToastStore().toasts).toHaveLength(0);
  });

  it('removes toasts after their timeout, errors later than others', () => {
    const store = useToastStore();
    store.success('Saved');
    store.error('Failed');

    vi.advanceTimersByTime(5000);
    expect(store.toasts.map((t) => t.title)).toEqual(['Failed']);
    vi.advanceTimersByTime(5000);
    expect(store.toasts).toHaveLength(0);
  });

  it('keeps a toast with timeout 0 until dismissed and shows at most five', () => {
    const store = useToastStore();
    const sticky = store.push({ title: 'Sticky', timeout: 0 });
    vi.advanceTimersByTime(60_000);
    expect(store.toasts.map((t) => t.id)).toEqual([sticky]);

    for (let i = 1; i <= 5; i++) store.info(`Toast ${i}`);
    expect(store.toasts).toHaveLength(5);
    expect(store.toasts[0]?.title).toBe('Toast 1');
  });
});
