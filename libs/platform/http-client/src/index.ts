// Safe outbound HTTP: SSRF guard at connect time, timeouts, size caps, bounded redirects, keep-alive pools.
export { SafeHttpClient } from './lib/safe-http.client';
export {
  type SafeHttpClientOptions,
  type HttpRequestOptions,
  type HttpGetOptions,
  type HttpPostOptions,
  type HttpResponse,
  type HttpRequestMetric,
} from './lib/http-client.types';
export { HttpClientError, type HttpClientErrorCode, type HttpClientErrorDetails, type TimeoutPhase } from './lib/http-client.exception';
export { classifyAddress, isForbiddenAddress, type AddressClass, type AddressPolicy } from './lib/address-policy.util';
export { parseTargetUrl, type UrlPolicy } from './lib/target-url.util';
export { systemResolver, resolveAllowedAddresses, type HostResolver, type ResolvedAddress } from './lib/guarded-lookup.util';
