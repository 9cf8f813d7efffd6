import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import AppLayout from './AppLayout.vue';

async function mountLayout() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', component: { template: '<p>home</p>' } }],
  });
  await router.push('/');
  return mount(AppLayout, {
    global: { plugins: [router, createPinia()] },
    slots: { default: 'Page' },
  });
}

describe('AppLayout', () => {
  it('has a skip link to the main landmark and the product name linking home', async () => {
    const wrapper = await mountLayout();
    expect(wrapper.get('a[href="#main"]').text()).toBe('Skip to content');
    expect(wrapper.get('main#main').text()).toBe('Page');
    expect(wrapper.get('header a[href="/"]').text()).toBe('Bastion');
  });

  it('links API docs as a plain link to the server', async () => {
    const wrapper = await mountLayout();
    const docs = wrapper.findAll('a').filter((a) => a.text() === 'API docs');
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.every((a) => a.attributes('href') === '/api/docs')).toBe(true);
  });

  it('toggles the mobile menu and reports it with aria-expanded', async () => {
    const wrapper = await mountLayout();
    const toggle = wrapper.get('button[aria-controls="mobile-menu"]');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    expect(toggle.attributes('aria-label')).toBe('Open menu');

    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    expect(toggle.attributes('aria-label')).toBe('Close menu');
    expect(wrapper.get('#mobile-menu').isVisible()).toBe(true);

    await wrapper.get('header').trigger('keydown', { key: 'Escape' });
    expect(toggle.attributes('aria-expanded')).toBe('false');
  });
});
