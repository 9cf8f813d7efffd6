import { describe, expect, it } from 'vitest';
import { diffOpenApi, formatChanges, type Change } from './diff.js';

// A small document in the shape @fastify/swagger produces: one list and one create operation.
function document(edit: (doc: Doc) => void = () => {}): Doc {
  const doc: Doc = {
    openapi: '3.1.0',
    info: { title: 'T', version: '1.0.0' },
    paths: {
      '/api/v1/leads': {
        get: {
          parameters: [
            { in: 'query', name: 'status', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      id: { type: 'integer' },
                      email: { type: 'string' },
                      status: { type: 'string', enum: ['new', 'won'] },
                    },
                    required: ['id', 'email', 'status'],
                  },
                },
              },
            },
          },
        },
        post: {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    email: { type: 'string', maxLength: 254 },
                    status: { type: 'string', enum: ['new', 'won'] },
                  },
                  required: ['email'],
                  additionalProperties: false,
                },
              },
            },
          },
          responses: { '201': { description: 'created' } },
        },
      },
    },
  };
  edit(doc);
  return doc;
}

// Tests reach into the fixture freely; its shape is the one built just above.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;
const responseSchema = (doc: Doc) =>
  doc.paths['/api/v1/leads'].get.responses['200'].content['application/json'].schema;
const requestSchema = (doc: Doc) =>
  doc.paths['/api/v1/leads'].post.requestBody.content['application/json'].schema;

const kinds = (changes: Change[]) => changes.map((c) => `${c.kind} ${c.at}: ${c.message}`);

describe('OpenAPI differ', () => {
  it('finds nothing between equal documents, and ignores wording', () => {
    expect(diffOpenApi(document(), document())).toEqual([]);
    const reworded = document((d) => {
      responseSchema(d).properties.email.description = 'The address';
    });
    expect(diffOpenApi(document(), reworded).filter((c) => c.kind !== 'other')).toEqual([]);
  });

  it('calls a removed response field breaking', () => {
    const after = document((d) => {
      delete responseSchema(d).properties.email;
      responseSchema(d).required = ['id', 'status'];
    });
    expect(kinds(diffOpenApi(document(), after))).toEqual([
      'breaking GET /api/v1/leads response 200 application/json.email: response field removed',
    ]);
  });

  it('calls a new required request field breaking and a new optional one additive', () => {
    const required = document((d) => {
      requestSchema(d).properties.company = { type: 'string' };
      requestSchema(d).required = ['email', 'company'];
    });
    expect(kinds(diffOpenApi(document(), required))).toEqual([
      'breaking POST /api/v1/leads request application/json.company: new required request field',
    ]);
    const optional = document((d) => {
      requestSchema(d).properties.company = { type: 'string' };
    });
    const changes = diffOpenApi(document(), optional);
    expect(kinds(changes)).toEqual([
      'additive POST /api/v1/leads request application/json.company: new optional request field',
    ]);
    expect(changes.some((c) => c.kind === 'breaking')).toBe(false);
  });

  it('accepts an added response field and an added path', () => {
    const after = document((d) => {
      responseSchema(d).properties.phone = { type: ['string', 'null'] };
      d.paths['/api/v1/deals'] = { get: { responses: { '200': { description: 'ok' } } } };
    });
    expect(kinds(diffOpenApi(document(), after))).toEqual([
      'additive /api/v1/deals: path added',
      'additive GET /api/v1/leads response 200 application/json.phone: response field added',
    ]);
  });

  it('calls removed paths, operations and required parameters breaking', () => {
    const noPost = document((d) => delete d.paths['/api/v1/leads'].post);
    expect(kinds(diffOpenApi(document(), noPost))).toEqual([
      'breaking POST /api/v1/leads: operation removed',
    ]);
    const noPath = document((d) => delete d.paths['/api/v1/leads']);
    expect(kinds(diffOpenApi(document(), noPath))).toEqual([
      'breaking /api/v1/leads: path removed',
    ]);
    const param = document((d) => {
      d.paths['/api/v1/leads'].get.parameters.push({
        in: 'query',
        name: 'owner',
        required: true,
        schema: { type: 'string' },
      });
    });
    expect(kinds(diffOpenApi(document(), param))).toEqual([
      'breaking GET /api/v1/leads parameter query owner: new required parameter',
    ]);
  });

  it('calls narrowed request types, enums and bounds breaking, widened ones additive', () => {
    const narrowed = document((d) => {
      requestSchema(d).properties.email.maxLength = 100;
      requestSchema(d).properties.status.enum = ['new'];
    });
    expect(kinds(diffOpenApi(document(), narrowed))).toEqual([
      'breaking POST /api/v1/leads request application/json.email: maxLength 254 → 100',
      'breaking POST /api/v1/leads request application/json.status: enum value(s) removed: "won"',
    ]);
    const widened = document((d) => {
      requestSchema(d).properties.status.enum = ['new', 'won', 'lost'];
      requestSchema(d).properties.email.type = ['string', 'null'];
    });
    expect(diffOpenApi(document(), widened).map((c) => c.kind)).toEqual(['additive', 'additive']);
  });

  it('calls a response that may return more than before breaking', () => {
    const after = document((d) => {
      responseSchema(d).properties.status.enum = ['new', 'won', 'lost'];
      responseSchema(d).properties.email.type = ['string', 'null'];
    });
    expect(kinds(diffOpenApi(document(), after))).toEqual([
      'breaking GET /api/v1/leads response 200 application/json.email: type may now be null',
      'breaking GET /api/v1/leads response 200 application/json.status: enum value(s) added: "lost"',
    ]);
  });

  it('calls a changed security requirement breaking', () => {
    const after = document((d) => {
      d.paths['/api/v1/leads'].get.security = [{ bearer: [] }];
    });
    expect(kinds(diffOpenApi(document(), after))).toEqual([
      'breaking GET /api/v1/leads: security requirement changed',
    ]);
  });

  it('follows $ref into components', () => {
    const withRef = (extra: boolean) =>
      document((d) => {
        d.components = { schemas: { Lead: structuredClone(responseSchema(d)) } };
        if (!extra) delete d.components.schemas.Lead.properties.email;
        d.paths['/api/v1/leads'].get.responses['200'].content['application/json'].schema = {
          $ref: '#/components/schemas/Lead',
        };
      });
    expect(kinds(diffOpenApi(withRef(true), withRef(false)))).toEqual([
      'breaking GET /api/v1/leads response 200 application/json.email: response field removed',
    ]);
  });

  it('lists breaking changes first', () => {
    const text = formatChanges([
      { kind: 'additive', at: 'a', message: 'x' },
      { kind: 'breaking', at: 'b', message: 'y' },
    ]);
    expect(text.split('\n')[0]).toContain('breaking b: y');
  });
});
