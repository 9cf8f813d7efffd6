import type { HomeStat } from '../../web-module';
import { adminApi } from './admin-api';

// The admin's figures on the home page (loaded lazily by its card in index.ts).
export async function adminStats(): Promise<HomeStat[]> {
  const [users, keys] = await Promise.all([
    adminApi.users({ limit: 1, offset: 0 }),
    adminApi.apiKeys(),
  ]);
  return [
    { label: 'Users', value: users.total, to: '/admin/users' },
    {
      label: 'Active API keys',
      value: keys.items.filter((key) => key.revokedAt === null).length,
      to: '/admin/api-keys',
    },
  ];
}
