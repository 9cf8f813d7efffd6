import fastJson from 'fast-json-stringify';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * `anyOf: [{type: X}, {type: 'null'}]` (how zod writes `.nullable()`) becomes `type: [X, 'null']`:
 * fast-json-stringify resolves anyOf by validating each value at runtime, a union type it does not.
 */
function simplify(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(simplify);
  if (!schema || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(
    Object.entries(schema as JsonSchema).map(([key, value]) => [key, simplify(value)]),
  );
  const anyOf = node.anyOf as JsonSchema[] | undefined;
  if (anyOf?.length === 2) {
    const nullIndex = anyOf.findIndex((branch) => branch.type === 'null');
    const other = anyOf[1 - nullIndex];
    if (nullIndex !== -1 && other && typeof other.type === 'string' && !other.anyOf) {
      const { anyOf: _dropped, ...rest } = node;
      return { ...rest, ...other, type: [other.type, 'null'] };
    }
  }
  return node;
}

/**
 * Route-level serializer for hot endpoints (health, lead list/detail/create). The zod schema in
 * `schema.response` stays the single source of truth (and documents the route); it is compiled
 * once into a fast-json-stringify function instead of being re-validated on every response.
 * Safe because presenters build every body from an explicit field list, and the output still
 * contains only the schema's fields.
 */
export function fastSerializerCompiler({ schema }: { schema: unknown }) {
  const jsonSchema = simplify(
    z.toJSONSchema(schema as z.ZodType, {
      target: 'draft-7',
      io: 'output',
      unrepresentable: 'any',
    }),
  ) as JsonSchema;
  delete jsonSchema.$schema;
  const stringify = fastJson(jsonSchema);
  return (data: unknown) => stringify(data);
}
