import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import AppAlert from './AppAlert.vue';

describe('AppAlert', () => {
  it('announces an error at once and a note politely', () => {
    const error = mount(AppAlert, { slots: { default: 'Wrong password.' } });
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toBe('Wrong password.');
    expect(error.find('button').exists()).toBe(false);

    const note = mount(AppAlert, { props: { tone: 'success' }, slots: { default: 'Sent.' } });
    expect(note.attributes('role')).toBe('status');
    expect(note.classes()).toContain('bg-emerald-50');
  });

  it('shows a failed load with its title and a "Try again" that calls retry', async () => {
    const retry = vi.fn();
    const wrapper = mount(AppAlert, {
      props: { title: 'The users could not be loaded', retry },
      slots: { default: 'Could not reach the server' },
    });
    expect(wrapper.get('p').text()).toBe('The users could not be loaded');
    expect(wrapper.text()).toContain('Could not reach the server');

    await wrapper.get('button').trigger('click');
    expect(wrapper.get('button').text()).toBe('Try again');
    expect(retry).toHaveBeenCalledTimes(1);
  });
});
