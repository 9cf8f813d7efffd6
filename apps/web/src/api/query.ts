import type { QueryValue } from './client';

/**
 * A filter form's query: the contract's request type (`z.input` of its query schema), where a
 * blank field (`''`, null) means "no filter". The *-api.ts clients take these and send
 * `withoutBlanks(query)`, so the server sees only the filters that are set.
 */
export type FilterQuery<T> = { [K in keyof T]?: T[K] | '' | null };

export function withoutBlanks<T extends object>(query: FilterQuery<T>): Record<string, QueryValue> {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== '' && value != null),
  ) as Record<string, QueryValue>;
}
