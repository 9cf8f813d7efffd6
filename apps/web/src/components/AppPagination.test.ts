import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import AppPagination from './AppPagination.vue';

function mountPagination(page: number, total = 200) {
  const wrapper = mount(AppPagination, {
    props: {
      page,
      total,
      pageSize: 20,
      'onUpdate:page': (value: number) => wrapper.setProps({ page: value }),
    },
  });
  return wrapper;
}

describe('AppPagination', () => {
  it('shows the range, the current page and gaps', () => {
    const wrapper = mountPagination(5);
    expect(wrapper.get('p').text().replace(/\s+/g, ' ')).toBe('Showing 81–100 of 200');
    expect(wrapper.get('[aria-current="page"]').text()).toBe('5');
    const labels = wrapper.findAll('li').map((li) => li.text());
    expect(labels).toContain('…');
    expect(labels).toContain('10');
  });

  it('moves between pages and stops at the ends', async () => {
    const wrapper = mountPagination(1, 45);
    const previous = wrapper.get('[aria-label="Previous page"]');
    const next = wrapper.get('[aria-label="Next page"]');
    expect(previous.attributes('disabled')).toBeDefined();

    await next.trigger('click');
    await next.trigger('click');
    expect(wrapper.props('page')).toBe(3);
    expect(next.attributes('disabled')).toBeDefined();

    await wrapper.get('[aria-label="Page 1"]').trigger('click');
    expect(wrapper.props('page')).toBe(1);
  });
});
