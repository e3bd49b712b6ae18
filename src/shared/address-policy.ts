// Which network addresses the service may call (webhook receivers): public unicast addresses only, unless the
// operator's allow-list (WEBHOOK_ALLOW_HOSTS) permits a host name or an address range. Pure: no I/O here.
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface AddressPolicy {
  /** Host names the operator trusts whatever they resolve to (lower case, no trailing dot). */
  readonly hosts: ReadonlySet<string>;
  /** Address ranges the operator permits although they are not public (loopback for a local relay, a VPN range...). */
  readonly ranges: readonly (readonly [Address, number])[];
}

/** No exceptions: public addresses only. */
export const PUBLIC_ONLY: AddressPolicy = { hosts: new Set(), ranges: [] };

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

const normalName = (host: string) => host.toLowerCase().replace(/\.$/, '');

/**
 * Parses WEBHOOK_ALLOW_HOSTS: a comma-separated list of host names, addresses and CIDR ranges
 * (`localhost, 127.0.0.1, 10.20.0.0/16, fd00::/8`). Throws an Error naming the first bad entry.
 */
export function parseAllowList(value: string | undefined): AddressPolicy {
  const hosts = new Set<string>();
  const ranges: [Address, number][] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (entry === '') continue;
    if (entry.includes('/')) {
      try {
        ranges.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new Error(`"${entry}" is not a CIDR range`);
      }
    } else if (ipaddr.isValid(entry)) {
      const a = ipaddr.parse(entry);
      ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
    } else if (HOST_NAME.test(normalName(entry))) {
      hosts.add(normalName(entry));
    } else {
      throw new Error(`"${entry}" is neither a host name, an address nor a CIDR range`);
    }
  }
  return { hosts, ranges };
}

const v4FromParts = (hi: number, lo: number) => ipaddr.fromByteArray([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]) as ipaddr.IPv4;

/**
 * Whether an address is public: IPv4 outside every special range (loopback, private, link-local, CGNAT,
 * multicast, broadcast, documentation, reserved...); IPv6 global unicast (2000::/3) outside the special
 * ranges. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, SIIT, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) are judged by that IPv4 address; the local-use NAT64 prefix and Teredo are refused.
 */
export function isPublicAddress(address: Address): boolean {
  if (address.kind() === 'ipv4') return address.range() === 'unicast';
  const v6 = address as ipaddr.IPv6;
  const p = v6.parts;
  switch (v6.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return isPublicAddress(v4FromParts(p[6]!, p[7]!));
    case 'rfc6052':
      // 64:ff9b::/96 maps the whole IPv4 internet; 64:ff9b:1::/48 is for local use only.
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 && isPublicAddress(v4FromParts(p[6]!, p[7]!));
    case '6to4':
      return isPublicAddress(v4FromParts(p[1]!, p[2]!));
    case 'unicast':
      return (p[0]! & 0xe000) === 0x2000;
    default:
      return false;
  }
}

/** An IP literal as found in a URL's hostname (IPv6 in brackets) or from a resolver; null when it is a name. */
export function parseAddress(host: string): Address | null {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : null;
}

/** Whether the policy lets the service connect to this address (public, or inside an allowed range). */
export function addressAllowed(address: string | Address, policy: AddressPolicy): boolean {
  const a = typeof address === 'string' ? parseAddress(address) : address;
  if (!a) return false;
  if (isPublicAddress(a)) return true;
  const forms: Address[] = [a];
  // An allowed IPv4 range also covers the same address written IPv4-mapped, and the other way round.
  if (a.kind() === 'ipv4') forms.push((a as ipaddr.IPv4).toIPv4MappedAddress());
  return policy.ranges.some(([range, bits]) => forms.some((f) => f.kind() === range.kind() && f.match(range, bits)));
}

/** A host name the operator trusts by name (connect-time address checks are skipped for it). */
export function hostTrusted(hostname: string, policy: AddressPolicy): boolean {
  return policy.hosts.has(normalName(hostname));
}

/** Names that mean this machine whatever a resolver says (RFC 6761). */
export function isLocalName(hostname: string): boolean {
  const n = normalName(hostname);
  return n === 'localhost' || n.endsWith('.localhost');
}
