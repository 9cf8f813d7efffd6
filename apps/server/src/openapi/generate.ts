import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';

/**
 * The OpenAPI document as the server serves it, built without listening (`app.ready()` then
 * `app.swagger()`). The configuration is fixed, not the caller's environment, so every machine
 * produces the same document. The jobs plugin starts pg-boss at ready, hence the migrated
 * database the caller passes.
 */
export async function generateOpenApiDocument(
  database: DatabaseHandle,
): Promise<Record<string, unknown>> {
  const config = loadConfig({ NODE_ENV: 'test', SERVE_WEB: 'false', LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

/** The committed form: two-space JSON with a final newline (what Prettier leaves alone). */
export function serializeOpenApiDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
