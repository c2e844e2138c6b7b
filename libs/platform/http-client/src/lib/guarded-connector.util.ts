import { type ConnectionOptions } from 'node:tls';
import { buildConnector } from 'undici';
import { type AddressPolicy } from './address-policy.util';
import { HttpClientError } from './http-client.exception';
import { type HostResolver, pinnedLookup, resolveAllowedAddresses } from './guarded-lookup.util';

export interface GuardedConnectorOptions {
  readonly policy: AddressPolicy;
  readonly resolver: HostResolver;
  /** Bounds DNS resolution plus the TCP/TLS handshake. */
  readonly connectTimeoutMs: number;
  /** Extra TLS options (a private CA in tests). Never used to turn verification off. */
  readonly tls?: Pick<ConnectionOptions, 'ca'>;
}

/**
 * An undici `connect` that resolves the host itself, refuses if ANY address is forbidden, and then
 * dials only those vetted addresses (pinned lookup). Runs on every new connection, so every redirect
 * hop and every pool refill is checked at the moment of connecting, on the address connected to.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  return (connectOptions, callback) => {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new HttpClientError('ERR_TIMEOUT', `DNS resolution of ${connectOptions.hostname} exceeded ${options.connectTimeoutMs} ms`, {
            phase: 'connect',
            cause: new DOMException('DNS resolution timed out', 'TimeoutError'),
          }),
        );
      }, options.connectTimeoutMs);
    });
    Promise.race([resolveAllowedAddresses(connectOptions.hostname, options.resolver, options.policy), deadline])
      .then((addresses) => {
        clearTimeout(timer);
        // One connector per connection: its lookup is pinned to this connection's vetted addresses.
        // The TLS session cache is per connector, which costs resumption only on reconnects.
        const remaining = Math.max(1, options.connectTimeoutMs - (Date.now() - started));
        const connect = buildConnector({ ...options.tls, timeout: remaining, lookup: pinnedLookup(addresses), rejectUnauthorized: true });
        connect(connectOptions, callback);
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        callback(error instanceof Error ? error : new Error(String(error)), null);
      });
  };
}
