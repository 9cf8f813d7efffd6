import { fileURLToPath } from 'node:url';

/** The committed API contract: `openapi/openapi.json` at the repository root. */
export const COMMITTED_OPENAPI_PATH = fileURLToPath(
  new URL('../../../../openapi/openapi.json', import.meta.url),
);
