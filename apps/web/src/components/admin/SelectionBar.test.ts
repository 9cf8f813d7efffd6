import type { AdminList } from '@bastion/contract';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import SelectionBar from './SelectionBar.vue';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);
const page = (rows: string[], count: number, exact = true): AdminList => ({
  items: rows.map((id) => ({ id, deleted: false, values: {} })),
  refs: {},
  count: { value: count, exact },
  nextCursor: null,
});
const actions = [
  { name: 'mark-lost', label: 'Mark lost', destructive: false, bulk: true, row: true },
];

function bar(selected: string[], list: AdminList, allMatching = false) {
  return mount(SelectionBar, {
    props: {
      selected,
      list,
      actions,
      allMatching,
      'onUpdate:allMatching': () => undefined,
    },
  });
}

describe('SelectionBar', () => {
  it('offers everything matching once the whole page is picked, and says the count', async () => {
    const rows = ids(50);
    const wrapper = bar(rows, page(rows, 12_345, false));
    expect(wrapper.text()).toContain('50 selected');
    const all = wrapper.get('[data-testid="admin-select-all"]');
    expect(all.text()).toContain('Select all about 12,345 matching');
    await all.trigger('click');
    expect(wrapper.emitted('update:allMatching')).toEqual([[true]]);

    expect(
      bar(rows.slice(1), page(rows, 12_345)).find('[data-testid="admin-select-all"]').exists(),
    ).toBe(false);
    const matching = bar(rows, page(rows, 12_345), true);
    expect(matching.text()).toContain('12,345 matching rows selected');
    expect(matching.find('[data-testid="admin-select-all"]').exists()).toBe(false);
  });

  it('holds the actions back past 1,000 picked rows, which the API would refuse', async () => {
    const rows = ids(50);
    const many = bar(ids(1001), page(rows, 5000));
    expect(many.get('[data-testid="admin-too-many"]').text()).toContain('up to 1,000 picked rows');
    expect(many.find('[data-testid="admin-bulk-mark-lost"]').exists()).toBe(false);

    const fine = bar(ids(1000), page(rows, 5000));
    expect(fine.find('[data-testid="admin-too-many"]').exists()).toBe(false);
    await fine.get('[data-testid="admin-bulk-mark-lost"]').trigger('click');
    expect(fine.emitted('run')).toEqual([[actions[0]]]);
    // All matching sends the filter, not the ids: no cap.
    expect(
      bar(ids(1001), page(rows, 5000), true).find('[data-testid="admin-too-many"]').exists(),
    ).toBe(false);
  });
});
