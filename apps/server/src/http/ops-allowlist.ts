import ipaddr from 'ipaddr.js';
import type { Cidr } from '../egress/policy.js';

// The operator surfaces (admin API, jobs dashboard API, API docs) are guarded by role like every
// route, and optionally by where the caller is: ADMIN_ALLOWED_CIDRS limits them to the office
// or VPN ranges, as the Django admin, Flower and pgAdmin sit behind an allow-list in the seeds.
// The same list drives the shipped edges (compose.production.yaml, deploy/nginx, Kubernetes),
// so every entry must also be something Traefik, nginx and ingress-nginx accept.

/** A path the allow-list covers: the path itself and, for a prefix, everything below it. */
export interface OpsPath {
  path: string;
  prefix: boolean;
}

/**
 * Every operator surface, present and future: any route under these paths is guarded, whichever
 * module registers it. The edge configs list the same paths (their tests compare with this).
 */
export const OPS_PATHS: readonly OpsPath[] = [
  { path: '/api/v1/admin', prefix: true },
  { path: '/api/jobs', prefix: true },
  { path: '/api/docs', prefix: true },
  { path: '/api/openapi.json', prefix: false },
];

/** Whether a route URL (as registered, e.g. `/api/v1/admin/resources/:resource/:id`) is an operator surface. */
export function isOpsPath(url: string): boolean {
  return OPS_PATHS.some(({ path, prefix }) =>
    prefix ? url === path || url.startsWith(`${path}/`) : url === path,
  );
}

/** The answer's message: it says why, never what the list holds. */
export const OPS_REFUSAL_MESSAGE = 'This endpoint is not available from your network address.';

/** Parses one entry strictly (dotted-quad IPv4, IPv6 without zone, no host bits); throws why. */
function parseEntry(item: string): Cidr {
  const [address = '', bits, ...rest] = item.split('/');
  const fail = (why: string): never => {
    throw new Error(`"${item}" ${why}`);
  };
  if (rest.length > 0) fail('is not an IP address or CIDR range');
  // ipaddr.js also reads `10.1` or `0x0a000001`; the edges do not, so neither does Bastion.
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  if (!v4 && (!ipaddr.IPv6.isValid(address) || address.includes('%'))) {
    fail('is not an IP address or CIDR range (IPv4 as a.b.c.d, IPv6 without a zone)');
  }
  const max = v4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) fail(`has no prefix length after "/"`);
  const length = bits === undefined ? max : Number(bits);
  if (length > max) fail(`has a prefix length above ${max}`);
  const [range] = ipaddr.parseCIDR(`${address}/${length}`);
  const network = v4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${length}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${length}`);
  if (network.toString() !== range.toString()) {
    fail(
      `has bits set beyond its /${length} prefix (did you mean ${network.toString()}/${length}?)`,
    );
  }
  // `::ffff:10.0.0.0/104` is an IPv4 range written in IPv6: clients are compared as IPv4.
  if (range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress() && length >= 96) {
    return [(range as ipaddr.IPv6).toIPv4Address(), length - 96];
  }
  return [range, length];
}

/**
 * Parses ADMIN_ALLOWED_CIDRS (already split on commas): `10.0.0.0/8, 2001:db8::/32, 192.0.2.7`
 * (a bare address is just that address). Throws naming the first bad entry.
 */
export function parseAllowedCidrs(items: string[]): Cidr[] {
  if (items.length === 0) {
    throw new Error('lists no address; leave it unset to allow every address');
  }
  return items.map(parseEntry);
}

/** `10.0.0.0/8`, `2001:db8::/32`: the normalised form written into the edge configs. */
export const formatCidr = ([range, bits]: Cidr) => `${range.toString()}/${bits}`;

/**
 * Whether the client address (request.ip, as resolved under TRUST_PROXY) is in one of the ranges.
 * An IPv4 client seen through a dual-stack socket (`::ffff:a.b.c.d`) is compared as IPv4; an
 * address that does not parse is refused.
 */
export function clientAllowed(ip: string | undefined, cidrs: readonly Cidr[]): boolean {
  if (!ip || !ipaddr.isValid(ip)) return false;
  const address = ipaddr.process(ip);
  return cidrs.some(
    ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
  );
}
