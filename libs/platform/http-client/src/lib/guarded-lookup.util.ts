import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { type AddressPolicy } from './address-policy.util';
import { HttpClientError } from './http-client.exception';
import { assertAllowedAddress, bareHostname } from './target-url.util';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has. Injectable so tests can resolve without DNS. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts applies), all addresses, in resolver order. */
export const systemResolver: HostResolver = async (hostname) => {
  const found = await dns.lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/**
 * Resolves `hostname` and vets EVERY address: one forbidden address refuses the whole name, so a
 * rebinding name that mixes a public and a private answer cannot win by ordering. An IP literal is
 * vetted as is, without DNS.
 */
export async function resolveAllowedAddresses(hostname: string, resolver: HostResolver, policy: AddressPolicy): Promise<ResolvedAddress[]> {
  const host = bareHostname(hostname);
  const literalFamily = isIP(host);
  if (literalFamily !== 0) {
    assertAllowedAddress(host, policy, undefined, host);
    return [{ address: host, family: literalFamily === 6 ? 6 : 4 }];
  }
  const addresses = await resolver(host);
  if (addresses.length === 0) {
    throw new HttpClientError('ENOTFOUND', `no address for ${host}`);
  }
  for (const { address } of addresses) assertAllowedAddress(address, policy, undefined, host);
  return [...addresses];
}

/**
 * A `lookup` for net/tls.connect that answers only with addresses already vetted, so the socket
 * connects to exactly what was checked (no second DNS answer, no rebinding window).
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (wanted.length === 0) {
      callback(new HttpClientError('ENOTFOUND', 'no vetted address of the requested family'), '', 0);
      return;
    }
    if (options.all === true) {
      const all: LookupAddress[] = wanted.map((a) => ({ address: a.address, family: a.family }));
      (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, all);
      return;
    }
    const [first] = wanted as [ResolvedAddress];
    callback(null, first.address, first.family);
  };
}
