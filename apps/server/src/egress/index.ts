// The SSRF-safe outbound client: scans use it today, webhooks will. See docs/security.md, "Egress".
export {
  addressRefusal,
  DEFAULT_ALLOWED_PORTS,
  parseCidrs,
  parsePorts,
  portAllowed,
  type Cidr,
  type EgressPolicy,
  type PortRange,
} from './policy.js';
export {
  bareHost,
  EgressError,
  egressRequest,
  egressTlsHandshake,
  pinnedLookup,
  resolveDestination,
  systemResolver,
  type EgressErrorCode,
  type EgressRequestOptions,
  type EgressResponse,
  type HandshakeResult,
  type PeerTls,
  type ResolvedAddress,
  type Resolver,
  type TlsClientOptions,
} from './request.js';
