import { defineModule } from '../manifest.js';
import { healthRoutes } from './routes.js';

/** Liveness and readiness probes. */
export const healthModule = defineModule({ name: 'health', routes: healthRoutes });
