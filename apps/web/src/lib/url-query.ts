/**
 * A list view's state as URL query parameters: empty values are left out and page 1 is the
 * default, so a fresh view has a clean URL and a shared link carries only what was chosen.
 */
export function listQuery(
  values: Record<string, string | number | null | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([key, value]) => value !== '' && value != null && !(key === 'page' && value === 1))
      .map(([key, value]) => [key, String(value)]),
  );
}
