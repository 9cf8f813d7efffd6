import { z } from 'zod';

// The input rules every request schema is built from, so they are decided once, here, for every
// route and for the web app's forms alike (docs/security.md, "Input rules"):
// - text: bounded length, and no character PostgreSQL cannot store: U+0000 (text columns refuse
//   it) and UTF-16 surrogates without their pair (UTF-8 cannot encode them: they would be stored
//   as U+FFFD, so two different inputs would read back the same);
// - numbers: finite, bounded both ways (an integer column or an OFFSET has a range, and a
//   number past 2^53 is not even exact in JavaScript);
// - JSON values (job payloads): bounded depth, the same text rule for every key and string.

/** Matches a string free of U+0000 and of lone surrogates (`u`: a valid pair is one code point). */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this rule is about
const STORABLE_TEXT = /^[^\u0000\p{Cs}]*$/u;
export const UNSTORABLE_TEXT_MESSAGE =
  'This field contains a character that cannot be stored (U+0000 or an unpaired surrogate).';

export function isStorableText(value: string): boolean {
  return STORABLE_TEXT.test(value);
}

const tooLong = (max: number) => `Ensure this field has no more than ${max} characters.`;

/**
 * A string of at most `max` characters that can be stored. `trim` strips surrounding blanks
 * first (the length is checked after trimming); `required` is the message when it is missing.
 * Chain `.min()` and the like after it.
 */
export function text(max: number, options: { trim?: boolean; required?: string } = {}) {
  const string = z.string(options.required ? { error: options.required } : undefined);
  const base = options.trim ? string.trim() : string;
  return base.max(max, tooLong(max)).regex(STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE);
}

/**
 * A query-string or path value: the same rule as `text`. A repeated key (`?a=1&a=2`) arrives as
 * an array and is refused as "expected string".
 */
export const queryText = text;

/**
 * Text that clients may give as a number (`page: 2`): DRF-style parameters the server parses
 * leniently itself. Same rule as `text`.
 */
export function numericQueryText(max: number) {
  return z.coerce
    .string<number | string>()
    .max(max, tooLong(max))
    .regex(STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE);
}

/** An http(s) URL of at most `max` characters, storable like any text. */
export function httpUrl(max: number, message = 'Enter an http(s) URL.') {
  return z
    .url({ protocol: /^https?$/, message })
    .max(max, tooLong(max))
    .regex(STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE);
}

/** A JSON integer in [min, max]; both bounds are required, so none is ever unbounded. */
export function int(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

/** A JSON number in [min, max] (finite: zod refuses Infinity and NaN). */
export function decimal(min: number, max: number) {
  return z.number().min(min).max(max);
}

/**
 * An integer query parameter in [min, max]: digits as the URL carries them, typed as a number
 * for clients. Out of range or not a number is a 400 naming the parameter.
 */
export function queryInt(min: number, max: number) {
  return z.coerce.number<number | string>().int().min(min).max(max);
}

/** Largest page offset a list accepts: far past any real list, well inside PostgreSQL's bigint. */
export const MAX_LIST_OFFSET = 1_000_000;

/**
 * The list style of new endpoints (docs/architecture.md, "Lists"): `limit` + `offset` in,
 * `{ items, total }` out. `maxLimit` caps a page; `defaultLimit` applies when absent.
 */
export function listQuery(options: { defaultLimit: number; maxLimit: number }) {
  return {
    limit: queryInt(1, options.maxLimit).default(options.defaultLimit),
    offset: queryInt(0, MAX_LIST_OFFSET).default(0),
  };
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** How many match the filters (for pagination). */
    total: z.number().int(),
  });
}

const MAX_JSON_DEPTH = 16;

/**
 * Walks a parsed JSON value without recursion (a deep value must not exhaust the stack) and
 * reports the first key or string that is not storable, or a nesting deeper than the limit.
 */
function jsonProblem(value: unknown): { path: (string | number)[]; message: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return { path, message: UNSTORABLE_TEXT_MESSAGE };
    } else if (current !== null && typeof current === 'object') {
      if (path.length >= MAX_JSON_DEPTH) {
        return { path, message: `Nested deeper than ${MAX_JSON_DEPTH} levels.` };
      }
      const entries = Array.isArray(current)
        ? current.map((item, index) => [index, item] as const)
        : Object.entries(current);
      for (const [key, item] of entries) {
        if (typeof key === 'string' && !isStorableText(key)) {
          return { path: [...path, key], message: UNSTORABLE_TEXT_MESSAGE };
        }
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/** A JSON object stored as jsonb (a job payload): at most 16 levels deep, storable text only. */
export function jsonObject() {
  return z.record(text(200), z.unknown()).check((ctx) => {
    const problem = jsonProblem(ctx.value);
    if (problem) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: problem.path,
        message: problem.message,
      });
    }
  });
}
