import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/app.js';
import { diffOpenApi, formatChanges } from './diff.js';
import { generateOpenApiDocument, serializeOpenApiDocument } from './generate.js';
import { COMMITTED_OPENAPI_PATH } from './paths.js';

// The API contract gate: the committed openapi/openapi.json is what the code serves. A change to
// the API shows up as a diff in review, classified, instead of surprising a client.
describe('the committed OpenAPI document', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('is the one the server generates', async () => {
    const generated = await generateOpenApiDocument(database);
    const committed: unknown = JSON.parse(await readFile(COMMITTED_OPENAPI_PATH, 'utf8'));
    if (serializeOpenApiDocument(generated) === serializeOpenApiDocument(committed)) return;
    const changes = diffOpenApi(committed, generated);
    const breaking = changes.filter((change) => change.kind === 'breaking').length;
    expect.fail(
      [
        `openapi/openapi.json differs from the API the code serves (${changes.length} change(s), ${breaking} breaking for existing clients).`,
        'If the change is intended, run `npm run openapi:update` and commit the file; a breaking change needs a major version or a new path.',
        formatChanges(changes),
      ].join('\n'),
    );
  });
});
