import { createHash, sign } from 'node:crypto';

// A Mastodon-style draft-cavage signature built by hand with node:crypto (no signing library),
// so that tests do not only prove the simulator agrees with the library it verifies with.

export interface HandSignInput {
  readonly url: URL;
  readonly body: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
  readonly date?: Date;
  readonly algorithm?: string;
}

export function handSignedPostHeaders(input: HandSignInput): Record<string, string> {
  const date = (input.date ?? new Date()).toUTCString();
  const digest = `SHA-256=${createHash('sha256').update(input.body).digest('base64')}`;
  const signingString = [
    `(request-target): post ${input.url.pathname}`,
    `host: ${input.url.host}`,
    `date: ${date}`,
    `digest: ${digest}`,
  ].join('\n');
  const signature = sign('sha256', Buffer.from(signingString), input.privateKeyPem).toString('base64');
  return {
    host: input.url.host,
    date,
    digest,
    'content-type': 'application/activity+json',
    signature: `keyId="${input.keyId}",algorithm="${input.algorithm ?? 'rsa-sha256'}",headers="(request-target) host date digest",signature="${signature}"`,
  };
}
