import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { HttpSignatureVerifier } from './http-signature-verifier.service';
import { type SignatureRequest } from './http-signature.types';
import { parsePublicKeyPem } from './keys.util';
import { signRequest } from './sign-request.util';

// Interop with @misskey-dev/node-http-message-signatures, an independent implementation (Web
// Crypto based). It cannot load under Jest (its dependency @lapo/asn1js is ESM only), so its side
// runs in a child Node process: src/testing/misskey-interop.mjs.
const SCRIPT = join(__dirname, '../../testing/misskey-interop.mjs');
const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOST = 'peerfed.example';
const BODY = JSON.stringify({ id: 'https://misskey.example/follows/1', type: 'Follow' });

const keys = {
  rsa: pemPair(generateKeyPairSync('rsa', { modulusLength: 2048 })),
  ed25519: pemPair(generateKeyPairSync('ed25519')),
};
type KeyName = keyof typeof keys;
const keyId = (name: KeyName): string => `https://misskey.example/users/x#${name}-key`;

function pemPair(pair: { publicKey: KeyObject; privateKey: KeyObject }) {
  return {
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

const verifier = new HttpSignatureVerifier({
  resolveKey: (id) => {
    const name = (Object.keys(keys) as KeyName[]).find((candidate) => keyId(candidate) === id);
    return name === undefined ? null : { key: keys[name].publicKeyPem };
  },
  now: () => NOW,
});

function ourSignedRequest(scheme: 'cavage' | 'rfc9421', name: KeyName): SignatureRequest & { headers: Record<string, string> } {
  const headers = { 'content-type': 'application/activity+json' };
  const added = signRequest({
    method: 'POST',
    url: `https://${HOST}/inbox`,
    headers,
    body: BODY,
    keyId: keyId(name),
    privateKey: keys[name].privateKey,
    scheme,
    now: () => NOW,
  });
  return { method: 'POST', url: '/inbox', headers: { ...headers, ...added }, body: BODY };
}

function misskeyRequest(): { method: string; url: string; headers: Record<string, string> } {
  return { method: 'POST', url: '/inbox', headers: { Host: HOST, Date: new Date(NOW).toUTCString(), 'Content-Type': 'application/activity+json' } };
}

function lowercased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

interface MisskeyResult {
  ok: boolean;
  error?: string;
  headers?: Record<string, string>;
  base?: string;
  signatureValid?: boolean;
  digestValid?: boolean;
  algorithm?: string;
  keyId?: string;
}

const names: KeyName[] = ['rsa', 'ed25519'];
const ours = {
  cavage: Object.fromEntries(names.map((name) => [name, ourSignedRequest('cavage', name)])) as Record<KeyName, ReturnType<typeof ourSignedRequest>>,
  rfc9421: Object.fromEntries(names.map((name) => [name, ourSignedRequest('rfc9421', name)])) as Record<KeyName, ReturnType<typeof ourSignedRequest>>,
};

const operations = [
  ...names.map((name) => ({ op: 'draft-verify', request: ours.cavage[name], body: BODY, publicKeyPem: keys[name].publicKeyPem, now: NOW })),
  ...names.map((name) => ({ op: 'rfc9421-base', request: ours.rfc9421[name], label: 'sig1', scheme: 'https' })),
  ...names.map((name) => ({
    op: 'draft-sign',
    request: misskeyRequest(),
    body: BODY,
    keyId: keyId(name),
    privateKeyPem: keys[name].privateKeyPem,
    includeHeaders: ['(request-target)', 'host', 'date', 'digest'],
  })),
  ...names.map((name) => ({
    op: 'rfc9421-sign',
    request: misskeyRequest(),
    body: BODY,
    label: 'misskey',
    components: ['@method', '@target-uri', '@authority', 'date', 'content-digest'],
    params: { keyid: keyId(name), alg: name === 'rsa' ? 'rsa-v1_5-sha256' : 'ed25519', created: Math.floor(NOW / 1000) },
    privateKeyPem: keys[name].privateKeyPem,
    scheme: 'https',
  })),
];

let results: MisskeyResult[] = [];

beforeAll(() => {
  const output = execFileSync(process.execPath, [SCRIPT], { input: JSON.stringify(operations), timeout: 30_000, encoding: 'utf8' });
  results = JSON.parse(output) as MisskeyResult[];
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) throw new Error(`misskey side failed: ${failed.map((result) => result.error).join('\n')}`);
});

const resultFor = (op: string, name: KeyName): MisskeyResult => {
  const index = operations.findIndex((operation) => operation.op === op && JSON.stringify(operation).includes(keyId(name)));
  return results[index] as MisskeyResult;
};

describe('interop with @misskey-dev/node-http-message-signatures', () => {
  describe.each(names)('%s key', (name) => {
    it('draft: Misskey verifies our signature and digest', () => {
      expect(resultFor('draft-verify', name)).toMatchObject({ signatureValid: true, digestValid: true, keyId: keyId(name) });
    });

    it('draft: we verify what Misskey signs', async () => {
      const headers = lowercased(resultFor('draft-sign', name).headers ?? {});
      expect(headers['signature']).toContain(`keyId="${keyId(name)}"`);
      const result = await verifier.verify({ method: 'POST', url: '/inbox', headers, body: BODY });
      expect(result).toMatchObject({ ok: true, scheme: 'cavage', keyId: keyId(name) });
    });

    it('RFC 9421: Misskey derives the same signature base, and our signature verifies over it', () => {
      const request = ours.rfc9421[name];
      const misskeyBase = resultFor('rfc9421-base', name).base as string;
      const prepared = verifier.prepare(request);
      if (!prepared.ok) throw new Error(prepared.message);
      expect(misskeyBase).toBe(prepared.value.base.toString());
      const signature = Buffer.from(/sig1=:([^:]+):/.exec(request.headers['signature'] ?? '')?.[1] ?? '', 'base64');
      const publicKey = parsePublicKeyPem(keys[name].publicKeyPem);
      expect(verify(name === 'rsa' ? 'sha256' : null, Buffer.from(misskeyBase), publicKey, signature)).toBe(true);
    });

    it('RFC 9421: we verify a signature built from Misskey parts (its Signature-Input, base and Web Crypto)', async () => {
      const signed = resultFor('rfc9421-sign', name);
      const result = await verifier.verify({ method: 'POST', url: '/inbox', headers: lowercased(signed.headers ?? {}), body: BODY });
      expect(result).toMatchObject({ ok: true, scheme: 'rfc9421', label: 'misskey', keyId: keyId(name) });
    });
  });
});
