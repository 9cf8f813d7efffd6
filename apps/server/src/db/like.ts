/** A LIKE/ILIKE pattern matching `term` anywhere, with `%`, `_` and `\` in it matching themselves. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
