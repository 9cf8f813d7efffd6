// COOP and COEP are structured-field items (RFC 9651): a value that does not parse is ignored by
// browsers, and only a bare token names a policy (parameters such as report-to are allowed).
import { Token, parseItem } from 'structured-headers';

export function policyToken(value: string): string | null {
  try {
    const [bare] = parseItem(value);
    return bare instanceof Token ? bare.toString() : null;
  } catch {
    return null;
  }
}
