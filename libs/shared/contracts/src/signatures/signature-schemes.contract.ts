/**
 * Which HTTP Signature scheme a remote host accepts, shared by ingress (which learns it from what
 * the host sends) and delivery (which signs accordingly and learns from refusals).
 *
 * A Redis hash: field = host (`name[:port]`, as in a URL), value = a SignatureSchemeChoice.
 * - ingress writes `rfc9421` with HSETNX when a host's request carried a valid RFC 9421 signature
 *   (a server that signs RFC 9421 verifies it too); it never overwrites what delivery learned;
 * - delivery writes `cavage` with HSET when the host refused an RFC 9421 signed request (401/400),
 *   so that host gets draft-cavage from then on.
 * A host without a field gets draft-cavage, which every fediverse server accepts.
 */
export const SIGNATURE_SCHEMES_KEY = '{delivery}:signature-schemes';

export const SIGNATURE_SCHEME_CHOICES = ['cavage', 'rfc9421'] as const;
export type SignatureSchemeChoice = (typeof SIGNATURE_SCHEME_CHOICES)[number];

export function isSignatureSchemeChoice(value: unknown): value is SignatureSchemeChoice {
  return typeof value === 'string' && (SIGNATURE_SCHEME_CHOICES as readonly string[]).includes(value);
}
