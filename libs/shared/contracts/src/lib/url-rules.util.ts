import { type ValidationOptions, IsUrl } from 'class-validator';

// Development federates with servers on this machine (http, localhost, no TLD), so contracts
// accept those; the ingress and delivery services decide what production allows.
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false, require_host: true };

/** An absolute http(s) URL, as actor ids, key ids and inboxes are. */
export function IsHttpUrl(options?: ValidationOptions): PropertyDecorator {
  return IsUrl(URL_OPTIONS, options);
}
