import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// ~120,000 throwaway-mail domains, loaded once; a Set makes the check O(1) per request.
const domains = new Set(require('disposable-email-domains') as string[]);

/** True when the address (or a parent domain of it) is a known disposable-mail provider. */
export function isDisposableEmail(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (domains.has(domain)) return true;
  // sub.mailinator.com is as disposable as mailinator.com.
  for (let dot = domain.indexOf('.'); dot !== -1; dot = domain.indexOf('.', dot + 1)) {
    if (domains.has(domain.slice(dot + 1))) return true;
  }
  return false;
}
