import type { HomeStat } from '../../web-module';
import { accountsApi } from '../auth/accounts-api';

// One's own account on the home page (loaded lazily by its card in index.ts).
export async function accountStats(): Promise<HomeStat[]> {
  const [sessions, tokens] = await Promise.all([accountsApi.sessions(), accountsApi.tokens()]);
  return [
    { label: 'Signed-in sessions', value: sessions.items.length, to: '/profile' },
    {
      label: 'Personal API tokens',
      value: tokens.items.filter((token) => token.revokedAt === null).length,
      to: '/profile',
    },
  ];
}
