import type { HomeStat } from '../../web-module';
import { adminApi } from './admin-api';

// The admin's figures on the home page (loaded lazily by its card in index.ts): counts from the
// generic lists, each only when the caller may list it (staff do not see API keys).
export async function adminStats(): Promise<HomeStat[]> {
  const { items } = await adminApi.resources();
  const names = new Set(items.map((resource) => resource.name));
  const stats: Promise<HomeStat>[] = [];
  if (names.has('users')) {
    stats.push(
      adminApi
        .list('users', { limit: 1 })
        .then((list) => ({ label: 'Users', value: list.count.value, to: '/admin/users' })),
    );
  }
  if (names.has('api-keys')) {
    stats.push(
      adminApi.list('api-keys', { limit: 1, filters: { revokedAt: null } }).then((list) => ({
        label: 'Active API keys',
        value: list.count.value,
        to: '/admin/api-keys',
      })),
    );
  }
  // One figure that cannot be had leaves the others standing.
  const settled = await Promise.allSettled(stats);
  return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}
