import { renameSync, writeFileSync } from 'node:fs';
import type { Cidr } from '../../egress/policy.js';
import { formatCidr } from '../../http/ops-allowlist.js';

/**
 * The allow/deny lines deploy/nginx/bastion.conf includes in its operator-surface locations.
 * nginx cannot read the environment, so `edge:nginx-allowlist` writes them from
 * ADMIN_ALLOWED_CIDRS, already validated by the same rules as the app's own check.
 */
export function nginxAllowlist(cidrs: readonly Cidr[] | undefined): string {
  const header =
    '# Written by `bastion edge:nginx-allowlist` from ADMIN_ALLOWED_CIDRS: regenerate, do not edit.';
  if (!cidrs) {
    return `${header}\n# ADMIN_ALLOWED_CIDRS is unset: any address (roles still apply).\nallow all;\n`;
  }
  return [header, ...cidrs.map((cidr) => `allow ${formatCidr(cidr)};`), 'deny all;', ''].join('\n');
}

/**
 * Replaces `file` in one step: a reload never reads half a file, and a failure leaves the old
 * one. (`… > file` in a shell would truncate it first, and an empty include allows everyone.)
 */
export function writeAtomically(file: string, text: string) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, file);
}
