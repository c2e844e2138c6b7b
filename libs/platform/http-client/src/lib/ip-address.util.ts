import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as an unsigned integer: 32 bits for IPv4, 128 bits for IPv6. */
export interface ParsedIp {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** A CIDR block, parsed once. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

/**
 * Parses a textual IP (IPv4 dotted quad, IPv6 with an optional `%zone` and optional brackets).
 * Returns undefined for anything else: callers treat "not an IP" as "not allowed".
 */
export function parseIp(text: string): ParsedIp | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) return { family: 4, value: ipv4ToBigInt(bare) };
  const zoneless = bare.split('%', 1)[0] ?? '';
  if (isIPv6(zoneless)) return { family: 6, value: ipv6ToBigInt(zoneless) };
  return undefined;
}

/** Parses `a.b.c.d/n` or `x::/n`; throws on a malformed range (ranges are our own constants). */
export function parseRange(cidr: string): IpRange {
  const [address = '', prefixText = ''] = cidr.split('/');
  const ip = parseIp(address);
  const prefix = Number(prefixText);
  const bits = ip?.family === 4 ? 32 : 128;
  if (ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new Error(`invalid CIDR range ${cidr}`);
  }
  return { family: ip.family, base: ip.value, prefix };
}

export function inRange(ip: ParsedIp, range: IpRange): boolean {
  if (ip.family !== range.family) return false;
  const shift = BigInt((ip.family === 4 ? 32 : 128) - range.prefix);
  return ip.value >> shift === range.base >> shift;
}

/** The 32-bit IPv4 address found in the given bit window of an IPv6 address. */
export function embeddedIpv4(ip: ParsedIp, lowestBit: number): ParsedIp {
  return { family: 4, value: (ip.value >> BigInt(lowestBit)) & 0xffff_ffffn };
}

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

// Input already validated by isIPv6, so only the shape needs handling here.
function ipv6ToBigInt(text: string): bigint {
  const [head = '', tail] = text.split('::');
  const headGroups = groupsOf(head);
  const tailGroups = tail === undefined ? [] : groupsOf(tail);
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...new Array<number>(missing).fill(0), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

function groupsOf(part: string): number[] {
  if (part === '') return [];
  return part.split(':').flatMap((group) => {
    if (!group.includes('.')) return [Number.parseInt(group, 16)];
    const v4 = Number(ipv4ToBigInt(group));
    return [v4 >>> 16, v4 & 0xffff];
  });
}
