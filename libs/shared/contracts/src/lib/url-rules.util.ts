import { boundedMemo } from '@peerfed/shared/util';
import { type ValidationOptions, IS_URL, ValidateBy, buildMessage, isURL } from 'class-validator';

// Development federates with servers on this machine (http, localhost, no TLD), so contracts
// accept those; the ingress and delivery services decide what production allows.
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false, require_host: true };

// The same actor, inbox and activity URLs recur on every message of a fan-out: check each once.
const checkedUrl = boundedMemo((value: string) => isURL(value, URL_OPTIONS));

/** Whether `value` is an absolute http(s) URL (class-validator's isURL with URL_OPTIONS, memoized). */
export function isHttpUrl(value: unknown): boolean {
  return typeof value === 'string' && checkedUrl(value);
}

/** An absolute http(s) URL, as actor ids, key ids and inboxes are. Same rule and message as `@IsUrl(URL_OPTIONS)`. */
export function IsHttpUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_URL,
      constraints: [URL_OPTIONS],
      validator: { validate: isHttpUrl, defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property must be a URL address`, options) },
    },
    options,
  );
}
