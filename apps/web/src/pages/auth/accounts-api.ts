import {
  apiTokenListSchema,
  apiTokenSchema,
  authStateSchema,
  createdApiTokenSchema,
  messageSchema,
  sessionListSchema,
  userSchema,
  type CreateApiToken,
  type Login,
  type Setup,
  type Signup,
  type UpdateMe,
} from '@bastion/contract';
import { api } from '../../api/client';

/** The accounts API, typed by the shared contract. Paths are relative to /api. */
export const accountsApi = {
  state: () => api.get('/v1/auth/state', { schema: authStateSchema }),
  signup: (body: Signup) => api.post('/v1/auth/signup', { schema: messageSchema, body }),
  login: (email: string, password: string, unlockToken?: string) =>
    api.post('/v1/auth/login', {
      schema: userSchema,
      body: { email, password, ...(unlockToken ? { unlockToken } : {}) } satisfies Login,
    }),
  logout: () => api.post('/v1/auth/logout'),
  verifyEmail: (token: string) =>
    api.post('/v1/auth/verify-email', { schema: userSchema, body: { token } }),
  resendVerification: (email: string) =>
    api.post('/v1/auth/verify-email/resend', { schema: messageSchema, body: { email } }),
  forgotPassword: (email: string) =>
    api.post('/v1/auth/password/forgot', { schema: messageSchema, body: { email } }),
  resetPassword: (token: string, password: string) =>
    api.post('/v1/auth/password/reset', { schema: messageSchema, body: { token, password } }),
  setup: (body: Setup) => api.post('/v1/auth/setup', { schema: userSchema, body }),
  updateMe: (body: UpdateMe) => api.patch('/v1/users/me', { schema: userSchema, body }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post('/v1/users/me/password', {
      schema: messageSchema,
      body: { currentPassword, newPassword },
    }),
  changeEmail: (email: string, currentPassword: string) =>
    api.post('/v1/users/me/email', { schema: messageSchema, body: { email, currentPassword } }),
  sessions: () => api.get('/v1/users/me/sessions', { schema: sessionListSchema }),
  revokeSession: (id: string) => api.delete(`/v1/users/me/sessions/${encodeURIComponent(id)}`),
  tokens: () => api.get('/v1/users/me/tokens', { schema: apiTokenListSchema }),
  createToken: (body: CreateApiToken) =>
    api.post('/v1/users/me/tokens', { schema: createdApiTokenSchema, body }),
  revokeToken: (id: string) =>
    api.delete(`/v1/users/me/tokens/${encodeURIComponent(id)}`, { schema: apiTokenSchema }),
};
