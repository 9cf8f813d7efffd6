import type { Config } from '../../config.js';

/** Google sign-in is offered when its client credentials are configured. */
export function googleEnabled(config: Pick<Config, 'google'>): boolean {
  return Boolean(config.google.clientId && config.google.clientSecret);
}
