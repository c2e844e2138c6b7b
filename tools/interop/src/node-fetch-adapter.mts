// Fedify speaks the fetch API (Request -> Response); node:http speaks IncomingMessage and
// ServerResponse. These few lines translate one into the other for the probe's server.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** The fetch Request for `req`, with its URL on `origin` (the probe's fixed public origin). */
export function toFetchRequest(req: IncomingMessage, origin: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes `response` (status, headers, body) to `res`. */
export async function sendFetchResponse(response: Response, res: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}
