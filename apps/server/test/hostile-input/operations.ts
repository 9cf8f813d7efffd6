// The operations of an OpenAPI 3.1 document, as the hostile-input test walks them: each one's
// path and query parameters, its body and content type, and a plausible valid value for every
// field (so that one hostile field at a time reaches the handler, not only the validator).

/** The part of JSON Schema the contract's zod schemas produce. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  default?: unknown;
}

export interface Field {
  in: 'path' | 'query' | 'body';
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export interface Operation {
  method: string;
  /** The path template, `{name}` for path parameters. */
  path: string;
  params: Field[];
  body?: { contentType: string; json: boolean; schema: JsonSchema; fields: Field[] };
  /** `GET /api/v1/leads/{id}` */
  label: string;
}

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** The storable-text rule of @bastion/contract, as it appears in the document. */
export const STORABLE_PATTERN = '^[^\\u0000\\p{Cs}]*$';

/** The schema without its `null` alternative (a nullable field's real type). */
export function nonNull(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const real = options.filter((option) => option.type !== 'null');
    if (real.length === 1) return nonNull(real[0]!);
  }
  return schema;
}

export function typeOf(schema: JsonSchema): string | undefined {
  const real = nonNull(schema);
  if (Array.isArray(real.type)) return real.type.find((type) => type !== 'null');
  return real.type ?? (real.enum ? typeof real.enum[0] : undefined);
}

export function patternsOf(schema: JsonSchema): string[] {
  const real = nonNull(schema);
  return [
    ...(real.pattern ? [real.pattern] : []),
    ...(real.allOf ?? []).flatMap((part) => (part.pattern ? [part.pattern] : [])),
  ];
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const params: Field[] = (operation.parameters ?? [])
        .filter((param) => param.in === 'path' || param.in === 'query')
        .map((param) => ({
          in: param.in as 'path' | 'query',
          name: param.name,
          schema: param.schema ?? {},
          required: param.required ?? false,
        }));
      let body: Operation['body'];
      const content = operation.requestBody?.content;
      if (content) {
        const [contentType, media] = Object.entries(content)[0]!;
        const schema = media.schema ?? {};
        const json = contentType === 'application/json';
        const object = nonNull(schema);
        const fields: Field[] = json
          ? Object.entries(object.properties ?? {}).map(([name, fieldSchema]) => ({
              in: 'body' as const,
              name,
              schema: fieldSchema,
              required: (object.required ?? []).includes(name),
            }))
          : [];
        body = { contentType, json, schema, fields };
      }
      const label = `${method.toUpperCase()} ${path}`;
      operations.push({
        method: method.toUpperCase(),
        path,
        params,
        ...(body ? { body } : {}),
        label,
      });
    }
  }
  return operations;
}

const FIXED_UUID = '5f0c3a8e-9d1b-4c2e-8f7a-1b2c3d4e5f60';

/** Plausible valid text for a field, by name first (the formats zod checks by refinement). */
function sampleText(name: string, schema: JsonSchema): string {
  const min = schema.minLength ?? 0;
  const lower = name.toLowerCase();
  let value = 'fuzzvalue';
  if (schema.format === 'uuid') value = FIXED_UUID;
  else if (schema.format === 'email' || lower.includes('email') || lower === 'to')
    value = 'fuzz@example.com';
  else if (schema.format === 'date-time' || ['since', 'before'].includes(lower))
    value = new Date().toISOString();
  else if (schema.format === 'uri' || lower.endsWith('url')) value = 'https://example.com/a.png';
  else if (lower.includes('phone')) value = '+1 555 0100';
  else if (lower === 'cron') value = '*/5 * * * *';
  else if (lower === 'timezone') value = 'UTC';
  else if (lower.includes('password')) value = 'correct horse battery staple 42';
  else if (lower === 'job') value = 'system.ping';
  else if (lower === 'full_name') value = 'Fuzz Person';
  return value.length >= min ? value : value.padEnd(min, 'x');
}

/** A valid-looking value for `schema` (`name` helps with the formats checked by refinement). */
export function sampleOf(name: string, schema: JsonSchema): unknown {
  const real = nonNull(schema);
  if (real.const !== undefined) return real.const;
  if (real.enum) return real.enum[0];
  if (real.default !== undefined) return real.default;
  switch (typeOf(real)) {
    case 'string':
      return sampleText(name, real);
    case 'integer':
    case 'number':
      return Math.max(real.minimum ?? 1, Math.min(real.maximum ?? 1, 1));
    case 'boolean':
      return true;
    case 'array': {
      const item = sampleOf(name, real.items ?? {});
      return Array.from({ length: Math.max(1, real.minItems ?? 1) }, () => item);
    }
    case 'object':
      return Object.fromEntries(
        Object.entries(real.properties ?? {}).map(([key, property]) => [
          key,
          sampleOf(key, property),
        ]),
      );
    default:
      return 'fuzzvalue';
  }
}
