import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import AppButton from './AppButton.vue';

describe('AppButton', () => {
  it('renders a type="button" button with its label and reports clicks', async () => {
    const wrapper = mount(AppButton, { slots: { default: 'Save' } });
    const button = wrapper.get('button');

    expect(button.text()).toBe('Save');
    expect(button.attributes('type')).toBe('button');
    await button.trigger('click');
    expect(wrapper.emitted('click')).toHaveLength(1);
  });

  it('applies the variant and size', () => {
    const wrapper = mount(AppButton, { props: { variant: 'danger', size: 'sm' } });
    expect(wrapper.classes()).toContain('bg-red-600');
    expect(wrapper.classes()).toContain('h-8');
  });

  it('while loading shows a spinner, sets aria-busy and ignores clicks', async () => {
    const wrapper = mount(AppButton, { props: { loading: true }, slots: { default: 'Save' } });
    const button = wrapper.get('button');

    expect(button.attributes('aria-busy')).toBe('true');
    expect(button.attributes('disabled')).toBeDefined();
    expect(wrapper.find('svg.animate-spin').exists()).toBe(true);
    expect(button.text()).toBe('Save');
    await button.trigger('click');
    expect(wrapper.emitted('click')).toBeUndefined();
  });

  it('is not busy when idle', () => {
    const wrapper = mount(AppButton);
    expect(wrapper.get('button').attributes('aria-busy')).toBeUndefined();
    expect(wrapper.find('svg').exists()).toBe(false);
  });

  it('can be disabled', () => {
    const wrapper = mount(AppButton, { props: { disabled: true } });
    expect(wrapper.get('button').attributes('disabled')).toBeDefined();
    expect(wrapper.get('button').attributes('aria-busy')).toBeUndefined();
  });

  it('renders a link styled as a button when given an href', () => {
    const wrapper = mount(AppButton, { props: { href: '/api/docs' }, slots: { default: 'Docs' } });
    expect(wrapper.element.tagName).toBe('A');
    expect(wrapper.attributes('href')).toBe('/api/docs');
  });
});
