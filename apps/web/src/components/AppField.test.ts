import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import AppField from './AppField.vue';

describe('AppField', () => {
  it('labels its input', () => {
    const wrapper = mount(AppField, { props: { label: 'Email', type: 'email' } });
    const input = wrapper.get('input');

    expect(wrapper.get('label').attributes('for')).toBe(input.attributes('id'));
    expect(wrapper.get('label').text()).toBe('Email');
    expect(input.attributes('type')).toBe('email');
    expect(input.attributes('aria-invalid')).toBeUndefined();
  });

  it('has a compact size for dense lists, and the regular one by default', () => {
    const options = [{ value: 'new', label: 'New' }];
    const small = mount(AppField, { props: { label: 'Move', as: 'select', size: 'sm', options } });
    const regular = mount(AppField, { props: { label: 'Status', as: 'select', options } });
    expect(small.get('select').classes()).toEqual(expect.arrayContaining(['h-8', 'text-xs']));
    expect(regular.get('select').classes()).toEqual(expect.arrayContaining(['h-10', 'text-sm']));
  });

  it('supports v-model', async () => {
    const wrapper = mount(AppField, {
      props: {
        label: 'Name',
        modelValue: 'Ada',
        'onUpdate:modelValue': (value: string | number | null | undefined) =>
          wrapper.setProps({ modelValue: value }),
      },
    });
    const input = wrapper.get('input');

    expect(input.element.value).toBe('Ada');
    await input.setValue('Grace');
    expect(wrapper.props('modelValue')).toBe('Grace');
  });

  it('shows the error and wires it with aria-invalid and aria-describedby', () => {
    const wrapper = mount(AppField, {
      props: { label: 'Email', hint: 'We never share it.', error: 'Enter a valid email address' },
    });
    const input = wrapper.get('input');
    const describedBy = input.attributes('aria-describedby')?.split(' ') ?? [];

    expect(input.attributes('aria-invalid')).toBe('true');
    const error = wrapper.get(`#${describedBy[0]}`);
    expect(error.text()).toBe('Enter a valid email address');
    expect(wrapper.get(`#${describedBy[1]}`).text()).toBe('We never share it.');
  });

  it('passes extra attributes to the control, not the wrapper', () => {
    const wrapper = mount(AppField, {
      props: { label: 'Email' },
      attrs: { placeholder: 'you@example.com', autocomplete: 'email', class: 'col-span-2' },
    });
    expect(wrapper.get('input').attributes('placeholder')).toBe('you@example.com');
    expect(wrapper.get('input').attributes('autocomplete')).toBe('email');
    expect(wrapper.classes()).toContain('col-span-2');
  });

  it('renders a select with its options and a textarea', () => {
    const select = mount(AppField, {
      props: {
        label: 'Role',
        as: 'select',
        modelValue: 'staff',
        options: [
          { value: 'user', label: 'User' },
          { value: 'staff', label: 'Staff' },
        ],
      },
    });
    expect(select.findAll('option').map((o) => o.text())).toEqual(['User', 'Staff']);
    expect(select.get('select').element.value).toBe('staff');

    const textarea = mount(AppField, { props: { label: 'Notes', as: 'textarea', required: true } });
    expect(textarea.get('textarea').attributes('required')).toBeDefined();
  });
});
