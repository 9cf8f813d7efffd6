import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import SystemStatus from './SystemStatus.vue';

const fetchMock = vi.fn<typeof fetch>();

function health(body: object, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

async function mountHome() {
  const wrapper = mount(SystemStatus);
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('system status on the home page', () => {
  it('shows Operational with the database, version and uptime when all is well', async () => {
    fetchMock.mockResolvedValue(
      health({ status: 'ok', database: 'healthy', version: '0.1.0', uptime: 7500 }),
    );
    const wrapper = await mountHome();

    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/health');
    expect(wrapper.get('[data-testid="health-status"]').text()).toBe('Operational');
    expect(wrapper.get('[data-testid="health-database"]').text()).toBe('healthy');
    expect(wrapper.get('[data-testid="health-version"]').text()).toBe('0.1.0');
    expect(wrapper.get('[data-testid="health-uptime"]').text()).toBe('2 h 5 min');
  });

  it('shows Degraded when the server answers 503', async () => {
    fetchMock.mockResolvedValue(
      health({ status: 'degraded', database: 'unhealthy', version: '0.1.0', uptime: 30 }, 503),
    );
    const wrapper = await mountHome();

    expect(wrapper.get('[data-testid="health-status"]').text()).toBe('Degraded');
    expect(wrapper.get('[data-testid="health-database"]').text()).toBe('unhealthy');
  });

  it('shows Unreachable when the request fails, then recovers on the next check', async () => {
    vi.useFakeTimers();
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    fetchMock.mockResolvedValue(
      health({ status: 'ok', database: 'healthy', version: '0.1.0', uptime: 180 }),
    );
    const wrapper = await mountHome();

    expect(wrapper.get('[data-testid="health-status"]').text()).toBe('Unreachable');
    expect(wrapper.get('[data-testid="health-database"]').text()).toBe('unknown');

    await vi.advanceTimersByTimeAsync(10_000);
    await flushPromises();
    expect(wrapper.get('[data-testid="health-status"]').text()).toBe('Operational');
    expect(wrapper.get('[data-testid="health-uptime"]').text()).toBe('3 min');
    wrapper.unmount();
  });
});
