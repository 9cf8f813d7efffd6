import type { AdminResourceMeta } from '@bastion/contract';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import RecordGrid from './RecordGrid.vue';
import { metaField, metaResource } from './test-meta';

const resource = metaResource();
const rows = [
  { id: '1', fullName: 'Grace', email: 'grace@example.test' },
  { id: '2', fullName: 'Ada', email: 'ada@example.test' },
  { id: '3', fullName: 'Linus', email: null },
];

function mountGrid() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/admin/:resource/:id', name: 'admin-record', component: { render: () => null } },
    ],
  });
  return mount(RecordGrid, {
    props: { resource, rows, columns: ['fullName', 'email'], selected: [], sort: 'fullName' },
    global: { plugins: [router] },
    attachTo: document.body,
  });
}

describe('RecordGrid', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('is a grid whose rows say whether they are selected, with sortable headers', async () => {
    const wrapper = mountGrid();
    expect(wrapper.get('table').attributes('role')).toBe('grid');
    const header = wrapper.get('th[aria-sort]');
    expect(header.attributes('aria-sort')).toBe('ascending');
    await header.get('button').trigger('click');
    expect(wrapper.emitted('update:sort')?.[0]).toEqual(['-fullName']);
    expect(wrapper.findAll('tbody tr').map((tr) => tr.attributes('aria-selected'))).toEqual([
      'false',
      'false',
      'false',
    ]);
    wrapper.unmount();
  });

  it('moves with j/k and arrows, selects with x, opens with Enter', async () => {
    const wrapper = mountGrid();
    const trs = () => wrapper.findAll('tbody tr');
    expect(trs().map((tr) => tr.attributes('tabindex'))).toEqual(['0', '-1', '-1']);
    await trs()[0]!.trigger('keydown', { key: 'j' });
    await trs()[1]!.trigger('focus');
    expect(trs().map((tr) => tr.attributes('tabindex'))).toEqual(['-1', '0', '-1']);
    await trs()[1]!.trigger('keydown', { key: 'x' });
    expect(wrapper.emitted('update:selected')?.[0]).toEqual([['2']]);
    await trs()[1]!.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('open')?.[0]).toEqual(['2']);
    await trs()[1]!.trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement).toBe(trs()[0]!.element);
    wrapper.unmount();
  });

  it('selects the whole page from the header checkbox', async () => {
    const wrapper = mountGrid();
    await wrapper.get('input[aria-label="Select every row on this page"]').trigger('change');
    expect(wrapper.emitted('update:selected')?.[0]).toEqual([['1', '2', '3']]);
    wrapper.unmount();
  });

  it('names foreign keys by the titles the list carries, in the first column too', () => {
    const fk = (name: string, label: string, ref: string) => metaField(name, label, 'fk', { ref });
    const scans: AdminResourceMeta = metaResource({
      name: 'scans',
      title: 'url',
      fields: [fk('targetId', 'Target', 'scan-targets'), fk('requestedBy', 'By', 'users')],
      list: ['targetId', 'requestedBy'],
    });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/admin/:resource/:id', name: 'admin-record', component: { render: () => null } },
      ],
    });
    const wrapper = mount(RecordGrid, {
      props: {
        resource: scans,
        rows: [
          { id: 's1', targetId: 't1', requestedBy: 'u1' },
          { id: 's2', targetId: 't2', requestedBy: null },
        ],
        refs: { targetId: { t1: 'Northwind shop' }, requestedBy: { u1: 'Ada' } },
        columns: ['targetId', 'requestedBy'],
        selected: [],
        sort: '',
      },
      global: { plugins: [router] },
    });
    const cells = wrapper.findAll('tbody tr').map((tr) => tr.findAll('a').map((a) => a.text()));
    // The first cell opens the scan itself, named by its target; an id nobody named stays short.
    expect(cells[0]).toEqual(['Northwind shop', 'Ada']);
    expect(wrapper.findAll('tbody tr')[0]!.get('a').attributes('href')).toBe('/admin/scans/s1');
    expect(cells[1]).toEqual(['t2']);
    wrapper.unmount();
  });
});
