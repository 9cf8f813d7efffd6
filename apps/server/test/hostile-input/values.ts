import { nonNull, typeOf, type Field } from './operations.js';

// The boundary values sent to every field. `refused: true` marks a value the contract's rules
// must refuse (any 4xx): an unstorable character, a length or number past the schema's bound.
// Every other value may be accepted or refused, but never answered with a 5xx.

/** JSON text sent as is (what JSON.stringify cannot make: `__proto__`, 1e400, deep nesting). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A query or path value already percent-encoded (a lone `%`, invalid UTF-8). */
export class RawUrl {
  constructor(readonly text: string) {}
}

export interface Hostile {
  value: unknown;
  note: string;
  refused?: boolean;
}

const deepArrays = (depth: number) => new RawJson('['.repeat(depth) + ']'.repeat(depth));
const deepObject = (depth: number): unknown =>
  depth === 0 ? 'leaf' : { a: deepObject(depth - 1) };

function isText(field: Field): boolean {
  return typeOf(field.schema) === 'string';
}

function stringValues(field: Field): Hostile[] {
  const schema = nonNull(field.schema);
  const max = schema.maxLength;
  // A string field must refuse these whatever its format (enum, uuid, email or plain text).
  const values: Hostile[] = [
    { value: 'a\u0000b', note: 'NUL', refused: true },
    // In a URL a lone surrogate can only be sent as invalid UTF-8, which is kept undecoded.
    { value: '\ud800', note: 'lone high surrogate', refused: field.in === 'body' },
    { value: 'x\udfff', note: 'lone low surrogate', refused: field.in === 'body' },
    { value: 'x'.repeat(10_240), note: '10 kB string', refused: max !== undefined && max < 10_240 },
    { value: '', note: 'empty string' },
    { value: ' \t ', note: 'blank string' },
    { value: "'); SELECT pg_sleep(30); --", note: 'SQL in a string' },
    { value: '%_\\*?[', note: 'LIKE and glob metacharacters' },
    { value: '\u202e\ufeff\u200b', note: 'invisible characters' },
  ];
  if (max !== undefined) {
    values.push(
      { value: 'a'.repeat(max), note: 'maxLength characters' },
      { value: 'é'.repeat(max + 1), note: 'maxLength + 1 characters', refused: true },
      { value: '😀'.repeat(Math.floor(max / 2)), note: 'astral characters up to maxLength' },
    );
  }
  return values;
}

function numberValues(field: Field): Hostile[] {
  const schema = nonNull(field.schema);
  const integer = typeOf(schema) === 'integer';
  const { minimum, maximum } = schema;
  const values: Hostile[] = [
    { value: 0, note: 'zero' },
    { value: -1, note: 'minus one', refused: minimum !== undefined && minimum > -1 },
    { value: 2 ** 53, note: '2^53', refused: maximum !== undefined && maximum < 2 ** 53 },
    { value: -(2 ** 63), note: '-2^63', refused: minimum !== undefined },
    { value: 1e308, note: '1e308', refused: maximum !== undefined },
    { value: new RawJson('1e400'), note: '1e400 (Infinity once parsed)', refused: true },
    { value: new RawJson('-0'), note: 'minus zero' },
    { value: 5e-324, note: 'smallest double' },
    { value: 0.5, note: 'a fraction', refused: integer },
  ];
  if (minimum !== undefined) {
    values.push(
      { value: minimum, note: 'minimum' },
      { value: minimum - 1, note: 'minimum - 1', refused: true },
    );
  }
  if (maximum !== undefined) {
    values.push(
      { value: maximum, note: 'maximum' },
      { value: maximum + (integer ? 1 : maximum * 1e-9 + 1), note: 'maximum + 1', refused: true },
    );
  }
  return values;
}

/** Values of the wrong type, and the JSON that attacks a parser rather than a field. */
const wrongTypes = (field: Field): Hostile[] => [
  { value: null, note: 'null' },
  { value: true, note: 'a boolean' },
  { value: isText(field) ? 12 : '12', note: 'the other scalar type' },
  { value: [], note: 'an empty array' },
  { value: {}, note: 'an empty object' },
  { value: deepArrays(64), note: 'arrays nested 64 deep' },
  { value: new RawJson('{"__proto__":{"polluted":true}}'), note: '__proto__ key', refused: true },
  {
    value: new RawJson('{"constructor":{"prototype":{"polluted":true}}}'),
    note: 'constructor.prototype key',
    refused: true,
  },
];

function arrayValues(field: Field): Hostile[] {
  const schema = nonNull(field.schema);
  const item: Field = { ...field, schema: schema.items ?? {} };
  const values: Hostile[] = valuesForBody(item)
    .filter((hostile) => !(hostile.value instanceof RawJson) || hostile.refused)
    .slice(0, 12)
    .map((hostile) => ({
      value: hostile.value instanceof RawJson ? hostile.value : [hostile.value],
      note: `[${hostile.note}]`,
      ...(hostile.refused ? { refused: true } : {}),
    }));
  values.push({ value: Array.from({ length: 10_000 }, (_, i) => i), note: '10,000 items' });
  if (schema.maxItems !== undefined) {
    const sample = Array.from({ length: schema.maxItems + 1 }, () => 'x');
    values.push({ value: sample, note: 'maxItems + 1 items', refused: true });
  }
  return values;
}

const objectValues = (): Hostile[] => [
  { value: { 'a\u0000': 1 }, note: 'a key with NUL', refused: true },
  { value: { a: 'x\u0000' }, note: 'a value with NUL', refused: true },
  { value: { a: ['\ud800'] }, note: 'a nested lone surrogate', refused: true },
  { value: deepObject(40), note: 'objects nested 40 deep', refused: true },
  { value: { big: 1e308, small: -1e308, list: [1, 'two', null, false] }, note: 'mixed JSON' },
];

/** Every hostile value of a JSON body field, by its type. */
export function valuesForBody(field: Field): Hostile[] {
  const type = typeOf(field.schema);
  const own =
    type === 'string'
      ? stringValues(field)
      : type === 'integer' || type === 'number'
        ? numberValues(field)
        : type === 'array'
          ? arrayValues(field)
          : type === 'object'
            ? objectValues()
            : [];
  return [...own, ...wrongTypes(field)];
}

/** Every hostile value of a query or path parameter: all of them text on the wire. */
export function valuesForUrl(field: Field): Hostile[] {
  const schema = nonNull(field.schema);
  const type = typeOf(schema);
  const numeric = type === 'integer' || type === 'number';
  const values: Hostile[] = [
    ...(type === 'string' ? stringValues(field) : []),
    { value: new RawUrl('%00'), note: 'encoded NUL', refused: true },
    { value: new RawUrl('%ED%A0%80'), note: 'an encoded surrogate (invalid UTF-8)' },
    { value: new RawUrl('%FF%FE'), note: 'invalid UTF-8', refused: numeric },
    {
      value: new RawUrl('%'),
      note: 'a lone %',
      refused: field.in === 'path' || numeric,
    },
    { value: new RawUrl('%zz'), note: 'a bad escape', refused: field.in === 'path' || numeric },
    { value: '-1', note: 'minus one', refused: numeric && (schema.minimum ?? -1) > -1 },
    { value: '99999999999999999999999', note: 'a huge integer', refused: numeric },
    { value: '1e400', note: 'Infinity', refused: numeric },
    { value: 'NaN', note: 'NaN', refused: numeric },
    { value: '0x10', note: 'hex' },
    { value: ' 1 ', note: 'padded digits' },
    { value: '0.5', note: 'a fraction', refused: type === 'integer' },
  ];
  if (field.in === 'query') values.push({ value: ['1', '2'], note: 'a repeated key' });
  return values;
}
