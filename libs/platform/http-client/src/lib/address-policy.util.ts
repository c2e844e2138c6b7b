import { embeddedIpv4, inRange, type IpRange, parseIp, parseRange, type ParsedIp } from './ip-address.util';

/** Why an address is (not) reachable by an outbound request. Only `public` is allowed by default. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'cgnat'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'invalid';

export interface AddressPolicy {
  /** Development and tests only: loopback (127/8, ::1 and their mapped forms) becomes reachable. Never private ranges. */
  readonly allowLoopback?: boolean;
}

type Rule = readonly [IpRange, AddressClass];
const rules = (entries: ReadonlyArray<readonly [string, AddressClass]>): Rule[] =>
  entries.map(([cidr, kind]) => [parseRange(cidr), kind] as const);

// First match wins, so specific entries (metadata, broadcast) come before their enclosing block.
// Sources: the IANA IPv4/IPv6 special-purpose address registries and the cloud metadata endpoints.
const IPV4_RULES = rules([
  ['0.0.0.0/32', 'unspecified'],
  ['255.255.255.255/32', 'broadcast'],
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['192.0.0.192/32', 'metadata'], // Oracle Cloud
  ['0.0.0.0/8', 'reserved'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

const IPV6_RULES = rules([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fd00:ec2::254/128', 'metadata'], // AWS IMDS over IPv6
  ['64:ff9b:1::/48', 'private'], // local-use NAT64 (RFC 8215)
  ['100::/64', 'reserved'], // discard-only
  ['2001::/23', 'reserved'], // IETF protocol assignments, Teredo included
  ['2001:db8::/32', 'reserved'],
  ['3fff::/20', 'reserved'],
  ['5f00::/16', 'reserved'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
]);

// IPv6 forms that carry an IPv4 address: judged by the IPv4 address they lead to.
const [MAPPED, NAT64, SIX_TO_FOUR] = ['::ffff:0:0/96', '64:ff9b::/96', '2002::/16'].map(parseRange) as [IpRange, IpRange, IpRange];
const IPV4_COMPATIBLE = parseRange('::/96'); // deprecated; :: and ::1 are matched before it
const GLOBAL_UNICAST = parseRange('2000::/3');

/** Classifies a textual IP address. Anything that is not an IP literal is `invalid`. */
export function classifyAddress(address: string): AddressClass {
  const ip = parseIp(address);
  return ip === undefined ? 'invalid' : classifyParsed(ip);
}

/** True when an outbound connection to this address must be refused under the given policy. */
export function isForbiddenAddress(address: string, policy: AddressPolicy = {}): boolean {
  return !isAllowedClass(classifyAddress(address), policy);
}

export function isAllowedClass(kind: AddressClass, policy: AddressPolicy): boolean {
  return kind === 'public' || (kind === 'loopback' && policy.allowLoopback === true);
}

function classifyParsed(ip: ParsedIp): AddressClass {
  if (ip.family === 4) return matchRule(ip, IPV4_RULES) ?? 'public';
  const special = matchRule(ip, IPV6_RULES);
  if (special !== undefined) return special;
  if (inRange(ip, MAPPED) || inRange(ip, NAT64)) return classifyParsed(embeddedIpv4(ip, 0));
  if (inRange(ip, SIX_TO_FOUR)) return classifyParsed(embeddedIpv4(ip, 80));
  if (inRange(ip, IPV4_COMPATIBLE)) return 'reserved';
  // Outside 2000::/3 nothing is allocated for global unicast.
  return inRange(ip, GLOBAL_UNICAST) ? 'public' : 'reserved';
}

function matchRule(ip: ParsedIp, table: readonly Rule[]): AddressClass | undefined {
  return table.find(([range]) => inRange(ip, range))?.[1];
}
