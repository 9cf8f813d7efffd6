import { OAuth2Server } from 'oauth2-mock-server';

/**
 * A real local OAuth2/OIDC server standing in for Google (oauth2-mock-server), and the settings
 * that point Bastion at it. `profile()` is what its userinfo endpoint answers, read per request.
 */
export async function startGoogleProvider(profile: () => Record<string, unknown>) {
  const provider = new OAuth2Server();
  await provider.issuer.keys.generate('RS256');
  await provider.start(0, '127.0.0.1');
  const issuer = provider.issuer.url!;
  provider.service.on('beforeUserinfo', (response) => {
    response.body = profile();
  });
  const env = {
    GOOGLE_CLIENT_ID: 'bastion-test',
    GOOGLE_CLIENT_SECRET: 'bastion-test-secret',
    GOOGLE_AUTH_URL: `${issuer}/authorize`,
    GOOGLE_TOKEN_URL: `${issuer}/token`,
    GOOGLE_USERINFO_URL: `${issuer}/userinfo`,
  };
  return { provider, env };
}
