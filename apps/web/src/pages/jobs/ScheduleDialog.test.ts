import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ScheduleDialog from './ScheduleDialog.vue';

const fetchMock = vi.fn<typeof fetch>();
const json = (body: object, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const schedule = {
  name: 'jobs-heartbeat',
  cron: '*/5 * * * *',
  timezone: 'UTC',
  job: 'jobs.heartbeat',
  payload: {},
  enabled: true,
  builtIn: true,
  lastRunAt: null,
  nextRuns: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('ScheduleDialog', () => {
  it('previews the next runs while the expression is valid and shows the API field error when it is not', async () => {
    fetchMock.mockImplementation(async (_url, init) => {
      const { cron } = JSON.parse(String(init?.body)) as { cron: string };
      if (cron === '99 * * * *') {
        return json(
          {
            error: {
              code: 'validation_failed',
              message: 'Some fields are invalid.',
              details: [{ path: ['cron'], message: 'Invalid cron expression: bad minute' }],
              requestId: 'r1',
            },
          },
          400,
        );
      }
      const runs = [1, 2, 3, 4, 5].map((h) => `2026-01-01T0${h}:00:00.000Z`);
      return json({ nextRuns: runs });
    });
    const wrapper = mount(ScheduleDialog, {
      props: { open: false, schedule },
      attachTo: document.body,
    });
    await wrapper.setProps({ open: true });
    await vi.waitFor(() => expect(document.querySelectorAll('li')).toHaveLength(5));
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/jobs/schedules/preview');

    const cron = document.querySelector<HTMLInputElement>('input[autocomplete="off"]')!;
    cron.value = '99 * * * *';
    cron.dispatchEvent(new Event('input'));
    await flushPromises();
    await vi.waitFor(() =>
      expect(document.body.textContent).toContain('Invalid cron expression: bad minute'),
    );
    expect(document.querySelectorAll('li')).toHaveLength(0);
    expect(cron.getAttribute('aria-invalid')).toBe('true');
    wrapper.unmount();
  });
});
