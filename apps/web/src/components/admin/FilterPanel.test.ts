import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import FilterPanel from './FilterPanel.vue';
import { metaField, metaResource } from './test-meta';

const resource = metaResource({
  fields: [metaField('status', 'Status', 'select'), metaField('verified', 'Verified', 'boolean')],
  list: ['status'],
  filters: [
    {
      field: 'status',
      kind: 'choice',
      choices: [
        { value: 'new', label: 'New' },
        { value: 'won', label: 'Won' },
        { value: 'lost', label: 'Lost' },
      ],
    },
    { field: 'verified', kind: 'boolean' },
  ],
});
const options = (wrapper: ReturnType<typeof mount>, index: number) =>
  wrapper
    .findAll('select')
    [index]!.findAll('option')
    .map((option) => option.text());

describe('FilterPanel', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows plain choices, and counts once the list has facets (~ where estimated)', async () => {
    const wrapper = mount(FilterPanel, {
      props: { modelValue: {}, resource, 'onUpdate:modelValue': () => undefined },
    });
    expect(options(wrapper, 0)).toEqual(['Any', 'New', 'Won', 'Lost']);
    expect(options(wrapper, 1)).toEqual(['Any', 'Yes', 'No']);

    await wrapper.setProps({
      facets: {
        status: {
          exact: true,
          values: [
            { value: 'new', count: 1200 },
            { value: 'won', count: 3 },
          ],
        },
        verified: { exact: false, values: [{ value: true, count: 900_000 }] },
      },
    });
    // A value the counts leave out has no rows.
    expect(options(wrapper, 0)).toEqual(['Any', 'New (1,200)', 'Won (3)', 'Lost (0)']);
    expect(options(wrapper, 1)).toEqual(['Any', 'Yes (~900,000)', 'No (~0)']);
  });

  it('sets a choice and a yes/no filter', async () => {
    const wrapper = mount(FilterPanel, {
      props: { modelValue: {}, resource, 'onUpdate:modelValue': () => undefined },
    });
    await wrapper.findAll('select')[0]!.setValue('won');
    await wrapper.findAll('select')[1]!.setValue('false');
    expect(wrapper.emitted('update:modelValue')).toEqual([
      [{ status: 'won' }],
      [{ verified: false }],
    ]);
  });

  it('turns counts on, and clears the filters it has', async () => {
    const wrapper = mount(FilterPanel, {
      props: { modelValue: {}, resource, 'onUpdate:modelValue': () => undefined },
    });
    expect(wrapper.text()).not.toContain('Clear filters');
    await wrapper.get('[data-testid="admin-show-counts"]').setValue(true);
    expect(wrapper.emitted('update:counts')).toEqual([[true]]);

    await wrapper.setProps({ modelValue: { status: 'won' } });
    const clear = wrapper.findAll('button').find((b) => b.text() === 'Clear filters')!;
    await clear.trigger('click');
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([{}]);
  });
});
