import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  nonNull,
  operationsOf,
  patternsOf,
  STORABLE_PATTERN,
  typeOf,
  type JsonSchema,
  type OpenApiDocument,
} from '../../test/hostile-input/operations.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let document: { openapi: string; paths: Record<string, Partial<Record<string, Operation>>> };
  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.app.inject({ url: '/api/openapi.json' })).json();
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents a JSON response schema for every operation', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const schemas = Object.values(operation.responses ?? {}).filter(
          (response) => response.content?.['application/json']?.schema,
        );
        if (schemas.length === 0) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(document.paths)).toContain('/api/health');
  });

  it('documents the CSV import body as the CSV it takes, not as JSON', () => {
    const operation = document.paths['/api/v1/leads/imports']?.post as
      { requestBody?: { content: Record<string, unknown> } } | undefined;
    const types = Object.keys(operation?.requestBody?.content ?? {});
    expect(types[0]).toBe('text/csv');
    expect(types).not.toContain('application/json');
  });

  // The contract's input rules, checked on what every route declares: each string a request can
  // carry is bounded and storable-checked (or an enum or a strict format), each number bounded.
  it('bounds every request string and number, and checks every free text', () => {
    const strictFormats = new Set(['uuid', 'email', 'date-time']);
    const loose: string[] = [];
    const visit = (where: string, schema: JsonSchema) => {
      const real = nonNull(schema);
      const type = typeOf(real);
      if (type === 'string' && !real.enum && !strictFormats.has(real.format ?? '')) {
        if (real.maxLength === undefined) loose.push(`${where}: no maxLength`);
        if (!patternsOf(real).includes(STORABLE_PATTERN)) loose.push(`${where}: no text rule`);
      }
      if (
        (type === 'integer' || type === 'number') &&
        !(real.minimum !== undefined && real.maximum !== undefined)
      ) {
        loose.push(`${where}: unbounded number`);
      }
      if (real.items) visit(`${where}[]`, real.items);
      for (const [key, property] of Object.entries(real.properties ?? {}))
        visit(`${where}.${key}`, property);
      if (real.propertyNames) visit(`${where} keys`, real.propertyNames);
    };
    for (const operation of operationsOf(document as unknown as OpenApiDocument)) {
      for (const field of operation.params) visit(`${operation.label} ${field.name}`, field.schema);
      // The CSV import's body is the file: its rows are checked by the lead schema.
      if (operation.body?.json) visit(`${operation.label} body`, operation.body.schema);
    }
    expect(loose).toEqual([]);
  });

  it('serves the interactive docs page under its own looser CSP', async () => {
    const page = await t.app.inject({ url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(page.headers['content-security-policy']).not.toContain(
      "script-src 'self' 'unsafe-inline'",
    );
  });
});
