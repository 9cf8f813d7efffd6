import { z } from 'zod';

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['healthy', 'unhealthy']),
  version: z.string(),
  uptime: z.number().describe('Seconds since the process started'),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const readyResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.enum(['ok', 'failing'])),
});
export type ReadyResponse = z.infer<typeof readyResponseSchema>;
