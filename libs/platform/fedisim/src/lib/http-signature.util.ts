import { type IncomingHttpHeaders } from 'node:http';

// `http-signature` (Joyent, draft-cavage) is CommonJS without type declarations. It is loaded with
// require() behind this typed facade, so the ambient-module declaration that an import would need
// does not have to reach every project that compiles this library through the path alias.

export interface HttpSignatureParsed {
  readonly scheme: string;
  readonly params: {
    readonly keyId: string;
    readonly algorithm: string;
    readonly headers: string[];
    readonly signature: string;
  };
  readonly signingString: string;
  readonly algorithm: string;
  readonly keyId: string;
}

export interface HttpSignatureParseOptions {
  /** Seconds; the library's default (and ours) is 300. */
  clockSkew?: number;
  /** Headers that must be among the signed ones. */
  headers?: string[];
  algorithms?: string[];
  strict?: boolean;
}

/** What signRequest needs from a request (a ClientRequest fits, so does a plain adapter). */
export interface HttpSignatureSignable {
  readonly method: string;
  readonly path: string;
  getHeader(name: string): string | undefined;
  setHeader(name: string, value: string): void;
}

export interface HttpSignatureApi {
  parseRequest(
    request: { headers: IncomingHttpHeaders; method: string; url: string; httpVersion: string },
    options?: HttpSignatureParseOptions,
  ): HttpSignatureParsed;
  signRequest(
    request: HttpSignatureSignable,
    options: { key: string; keyId: string; headers?: string[]; algorithm?: string; authorizationHeaderName?: string },
  ): boolean;
}

let api: HttpSignatureApi | undefined;

/** The http-signature module, loaded once. */
export function httpSignature(): HttpSignatureApi {
  api ??= require('http-signature') as HttpSignatureApi;
  return api;
}
