// Test helper, run as a child process by misskey-interop.spec.ts: @misskey-dev/node-http-message-signatures
// depends on @lapo/asn1js, which is ESM only and cannot be loaded by Jest in CJS mode on Node 20.
// Reads a JSON array of operations on stdin and writes a JSON array of results on stdout.
import {
  RFC9421SignatureBaseFactory,
  convertSignatureParamsDictionary,
  genDigestHeaderBothRFC3230AndRFC9530,
  importPrivateKey,
  parseRequestSignature,
  signAsDraftToRequest,
  verifyDigestHeader,
  verifyDraftSignature,
} from '@misskey-dev/node-http-message-signatures';
import { webcrypto } from 'node:crypto';

const operations = {
  /** Misskey signs a draft-cavage request (Digest + Content-Digest, then Signature). */
  async 'draft-sign'({ request, body, keyId, privateKeyPem, includeHeaders }) {
    const copy = { ...request, headers: { ...request.headers } };
    await genDigestHeaderBothRFC3230AndRFC9530(copy, body);
    await signAsDraftToRequest(copy, { keyId, privateKeyPem }, includeHeaders);
    return { headers: copy.headers };
  },

  /** Misskey parses and verifies a draft-cavage request and its digest. */
  async 'draft-verify'({ request, body, publicKeyPem, now }) {
    const parsed = parseRequestSignature(request, {
      clockSkew: { now: new Date(now) },
      requiredComponents: { draft: ['(request-target)', 'host', 'date', 'digest'] },
    });
    const errors = [];
    const signatureValid = await verifyDraftSignature(parsed.value, publicKeyPem, (error) => errors.push(String(error)));
    const digestValid = await verifyDigestHeader(request, body);
    return { keyId: parsed.value.keyId, algorithm: parsed.value.algorithm, signatureValid, digestValid, errors };
  },

  /** Misskey's RFC 9421 signature base for a label of a request that carries Signature-Input. */
  async 'rfc9421-base'({ request, label, scheme }) {
    return { base: new RFC9421SignatureBaseFactory(request, scheme).generate(label) };
  },

  /**
   * An RFC 9421 signature made with Misskey's building blocks only: its Signature-Input
   * serialiser, its base factory, its key import and Web Crypto.
   */
  async 'rfc9421-sign'({ request, body, label, components, params, privateKeyPem, scheme }) {
    const copy = { ...request, headers: { ...request.headers } };
    await genDigestHeaderBothRFC3230AndRFC9530(copy, body);
    copy.headers['Signature-Input'] = convertSignatureParamsDictionary({
      [label]: [components.map((name) => [name, {}]), params],
    });
    const base = new RFC9421SignatureBaseFactory(copy, scheme).generate(label);
    const key = await importPrivateKey(privateKeyPem, ['sign']);
    const signed = await webcrypto.subtle.sign(key.algorithm.name, key, new TextEncoder().encode(base));
    copy.headers['Signature'] = `${label}=:${Buffer.from(signed).toString('base64')}:`;
    return { headers: copy.headers, base };
  },
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const results = [];
for (const { op, ...args } of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
  try {
    results.push({ ok: true, ...(await operations[op](args)) });
  } catch (error) {
    results.push({ ok: false, error: String(error?.stack ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
