import type * as MessageSignatures from '@misskey-dev/node-http-message-signatures';

// @misskey-dev/node-http-message-signatures (RFC 9421 signature bases) is ESM first and depends on
// the ESM-only @lapo/asn1js. It is loaded lazily with import(), so only RFC 9421 requests pay for
// it and a loading failure becomes a clear "unavailable" answer; draft-cavage never needs it.
// Under Jest (CommonJS through swc) import() becomes Jest's require(), which loads @lapo/asn1js
// only when jest.preset.cjs lists `@lapo` in `esmOnly`.

export type MessageSignaturesModule = typeof MessageSignatures;

export interface Rfc9421Support {
  readonly available: boolean;
  /** Why the library could not be loaded (only when unavailable). */
  readonly error?: string;
}

let loading: Promise<MessageSignaturesModule> | undefined;

/** The library, loaded once; rejects with a message that names it. */
export function loadMessageSignatures(): Promise<MessageSignaturesModule> {
  loading ??= import('@misskey-dev/node-http-message-signatures').catch((error: unknown) => {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`RFC 9421 is unavailable: cannot load @misskey-dev/node-http-message-signatures (${reason})`);
  });
  return loading;
}

/** Whether RFC 9421 signing and verification can run in this process. */
export async function rfc9421Support(): Promise<Rfc9421Support> {
  try {
    const module = await loadMessageSignatures();
    return typeof module.RFC9421SignatureBaseFactory === 'function'
      ? { available: true }
      : { available: false, error: 'RFC9421SignatureBaseFactory is missing from @misskey-dev/node-http-message-signatures' };
  } catch (error) {
    return { available: false, error: (error as Error).message };
  }
}
