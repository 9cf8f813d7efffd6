import ipaddr from 'ipaddr.js';

// Which addresses and ports an outbound request may reach. Bastion fetches URLs that users type
// (scan targets; webhooks later), so without this a user could make the server read its own
// admin ports, the cloud metadata service or anything else on the private network (SSRF).
// The rule: only public unicast addresses, except ranges the operator allows by configuration.

/** A CIDR the operator allows despite its range (SCAN_ALLOW_CIDRS), parsed once. */
export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface PortRange {
  from: number;
  to: number;
}

export interface EgressPolicy {
  /** Ranges allowed although not public (self-hosted intranets, tests). */
  allowCidrs: Cidr[];
  /** Destination ports allowed; `any` allows every port. */
  allowedPorts: PortRange[] | 'any';
}

/**
 * Cloud metadata endpoints: refused even when an allowed range covers them, since they hand out
 * the machine's credentials and no scan target is ever one of them.
 */
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'];

/** Parses `10.0.0.0/8, fd00::/8` (a bare address means just that one); throws naming the bad item. */
export function parseCidrs(items: string[]): Cidr[] {
  return items.map((item) => {
    try {
      if (!item.includes('/')) {
        const address = ipaddr.parse(item);
        return [address, address.kind() === 'ipv4' ? 32 : 128];
      }
      return ipaddr.parseCIDR(item);
    } catch {
      throw new Error(`"${item}" is not an IP address or CIDR range`);
    }
  });
}

/** Parses `80,443,8000-8999` or `*`; throws naming the bad item. */
export function parsePorts(value: string): PortRange[] | 'any' {
  if (value.trim() === '*') return 'any';
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
      const from = Number(match?.[1]);
      const to = Number(match?.[2] ?? match?.[1]);
      if (!match || from < 1 || to > 65535 || from > to) {
        throw new Error(`"${item}" is not a port or a range of ports (1-65535)`);
      }
      return { from, to };
    });
}

export const DEFAULT_ALLOWED_PORTS = '80,443,8000-8999';

export function portAllowed(port: number, policy: EgressPolicy): boolean {
  if (policy.allowedPorts === 'any') return true;
  return policy.allowedPorts.some((range) => port >= range.from && port <= range.to);
}

/**
 * The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or -compatible (`::a.b.c.d`) IPv6
 * address: connecting to one reaches the IPv4 host, so it is judged as that host.
 */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = address.parts;
  if (!parts.slice(0, 5).every((part) => part === 0)) return null;
  const v4 = new ipaddr.IPv4(address.toByteArray().slice(12));
  if (parts[5] === 0xffff) return v4;
  // `::` and `::1` have the compatible form too; they stay IPv6 (unspecified, loopback).
  if (parts[5] === 0 && (parts[6] ?? 0) !== 0) return v4;
  return null;
}

function inAllowed(address: ipaddr.IPv4 | ipaddr.IPv6, policy: EgressPolicy): boolean {
  return policy.allowCidrs.some(
    ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
  );
}

/**
 * Why the address may not be contacted, or null when it may. Only `unicast` (ipaddr.js's name for
 * "none of the special ranges": loopback, private, link-local, unique-local, CGNAT, multicast,
 * broadcast, unspecified, 0/8, documentation, benchmarking, reserved, 6to4, Teredo, NAT64 …) is
 * allowed without configuration.
 */
export function addressRefusal(text: string, policy: EgressPolicy): string | null {
  if (!ipaddr.isValid(text)) return `"${text}" is not an IP address`;
  let address: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(text);
  if (address.kind() === 'ipv6') {
    address = embeddedIpv4(address as ipaddr.IPv6) ?? address;
  }
  const normalised = address.toString();
  if (METADATA_ADDRESSES.some((metadata) => ipaddr.parse(metadata).toString() === normalised)) {
    return `${text} is a cloud metadata address`;
  }
  if (inAllowed(address, policy)) return null;
  const range = address.range();
  if (range === 'unicast') return null;
  return `${text} is not a public address (${range})`;
}
