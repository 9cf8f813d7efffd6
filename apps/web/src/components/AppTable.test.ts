import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { h } from 'vue';
import AppTable from './AppTable.vue';
import type { TableColumn, TableSort } from './types';

interface Lead {
  id: number;
  name: string;
  score: number;
}

const columns: TableColumn<Lead>[] = [
  { key: 'name', label: 'Name', sortable: true },
  { key: 'score', label: 'Score', sortable: true, align: 'right' },
  { key: 'actions', label: 'Actions', hideLabel: true },
];
const rows: Lead[] = [
  { id: 1, name: 'Grace', score: 7 },
  { id: 2, name: 'ada', score: 12 },
  { id: 3, name: 'Linus', score: 9 },
];

function mountTable(props: Partial<{ loading: boolean; rows: Lead[] }> = {}) {
  const wrapper = mount(AppTable<Lead>, {
    props: {
      columns,
      rows,
      caption: 'Leads',
      rowKey: 'id' as const,
      sort: null,
      'onUpdate:sort': (sort: TableSort | null) => wrapper.setProps({ sort }),
      ...props,
    },
    slots: { 'cell-actions': ({ row }: { row: Lead }) => h('button', `Edit ${row.name}`) },
  });
  return wrapper;
}

const names = (wrapper: ReturnType<typeof mountTable>) =>
  wrapper.findAll('tbody tr').map((tr) => tr.find('td').text());

describe('AppTable', () => {
  it('renders rows, a caption and custom cells', () => {
    const wrapper = mountTable();
    expect(wrapper.get('caption').text()).toBe('Leads');
    expect(names(wrapper)).toEqual(['Grace', 'ada', 'Linus']);
    expect(wrapper.get('tbody tr').text()).toContain('Edit Grace');
  });

  it('sorts by a column and reports it with aria-sort', async () => {
    const wrapper = mountTable();
    const [nameHeader, scoreHeader] = wrapper.findAll('th');
    expect(nameHeader?.attributes('aria-sort')).toBe('none');

    await nameHeader?.get('button').trigger('click');
    expect(nameHeader?.attributes('aria-sort')).toBe('ascending');
    expect(names(wrapper)).toEqual(['ada', 'Grace', 'Linus']);

    await nameHeader?.get('button').trigger('click');
    expect(nameHeader?.attributes('aria-sort')).toBe('descending');
    expect(names(wrapper)).toEqual(['Linus', 'Grace', 'ada']);

    await scoreHeader?.get('button').trigger('click');
    expect(nameHeader?.attributes('aria-sort')).toBe('none');
    expect(names(wrapper)).toEqual(['Grace', 'Linus', 'ada']);
  });

  it('shows an empty state and a loading skeleton', () => {
    expect(mountTable({ rows: [] }).get('tbody').text()).toBe('Nothing here yet.');

    const loading = mountTable({ loading: true });
    expect(loading.get('table').attributes('aria-busy')).toBe('true');
    expect(loading.findAll('tbody tr')).toHaveLength(5);
  });

  it('can be scrolled with the keyboard', () => {
    const region = mountTable().get('[role="region"]');
    expect(region.attributes('tabindex')).toBe('0');
    expect(region.attributes('aria-label')).toBe('Leads');
  });

  it('leaves a column out below its breakpoint, header and cells alike', () => {
    const wrapper = mount(AppTable<Lead>, {
      props: {
        columns: [
          { key: 'name', label: 'Name' },
          { key: 'score', label: 'Score', hideBelow: 'md' },
        ],
        rows,
        caption: 'Leads',
      },
    });
    const classes = (selector: string) => wrapper.findAll(selector).map((el) => el.classes());
    expect(classes('th')[0]).not.toContain('hidden');
    expect(classes('th')[1]).toEqual(expect.arrayContaining(['hidden', 'md:table-cell']));
    const scoreCells = wrapper.findAll('tbody tr').map((tr) => tr.findAll('td')[1]!.classes());
    expect(scoreCells.every((c) => c.includes('hidden') && c.includes('md:table-cell'))).toBe(true);
  });
});
