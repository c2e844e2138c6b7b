import { type Readable } from 'node:stream';
import { HttpClientError } from './http-client.exception';

/**
 * Reads a response body into one Buffer, refusing as soon as it is known to exceed `maxBytes`:
 * from Content-Length before reading anything, else while streaming. The stream is destroyed on
 * refusal, which closes the connection instead of draining the rest.
 */
export async function readCappedBody(
  body: Readable,
  maxBytes: number,
  contentLength: string | undefined,
  url: string,
  status?: number,
): Promise<Buffer> {
  const declared = contentLength === undefined ? Number.NaN : Number(contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge(`declares ${declared} bytes`, maxBytes, url, status);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw tooLarge(`exceeded after ${total} bytes`, maxBytes, url, status);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(what: string, maxBytes: number, url: string, status: number | undefined): HttpClientError {
  return new HttpClientError('ERR_RESPONSE_TOO_LARGE', `response body ${what}, limit is ${maxBytes} bytes: ${url}`, {
    url,
    ...(status === undefined ? {} : { status }),
  });
}
