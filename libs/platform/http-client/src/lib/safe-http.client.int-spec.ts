import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP, type LookupFunction, type Socket } from 'node:net';
import net from 'node:net';
import tls from 'node:tls';
import { lookup as dnsLookup } from 'node:dns';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClientError } from './http-client.exception';
import { type HttpRequestMetric, type SafeHttpClientOptions } from './http-client.types';
import { SafeHttpClient } from './safe-http.client';

// Every test here talks to node:http servers on 127.0.0.1 only. As a safety net independent of the
// code under test, net/tls.connect are wrapped so that a dial to anything but loopback throws
// before a packet leaves, and every dial is recorded.
interface Dial {
  readonly host: string;
  readonly addresses: string[];
  readonly socket: Socket;
}
const dials: Dial[] = [];
const isLoopbackText = (address: string): boolean => address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');

function loopbackOnly<T extends { host?: string; lookup?: LookupFunction }>(options: T, addresses: string[]): T {
  const host = options.host ?? '';
  if (isIP(host) !== 0 && !isLoopbackText(host)) throw new Error(`TEST SAFETY NET: refused to dial ${host}`);
  const inner: LookupFunction = options.lookup ?? dnsLookup;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    inner(hostname, lookupOptions, (error, address, family) => {
      const found = Array.isArray(address) ? (address as Array<{ address: string }>).map((a) => a.address) : [address];
      addresses.push(...found);
      const bad = found.find((a) => !isLoopbackText(a));
      if (error === null && bad !== undefined) {
        callback(new Error(`TEST SAFETY NET: refused to dial ${bad}`), '', 0);
        return;
      }
      callback(error, address, family);
    });
  };
  return { ...options, lookup };
}

const realNetConnect = net.connect;
const realTlsConnect = tls.connect;
beforeAll(() => {
  jest.spyOn(net, 'connect').mockImplementation(((options: net.NetConnectOpts) => {
    const addresses: string[] = [];
    const socket = realNetConnect(loopbackOnly(options as net.TcpNetConnectOpts, addresses));
    dials.push({ host: (options as net.TcpNetConnectOpts).host ?? '', addresses, socket });
    return socket;
  }) as typeof net.connect);
  jest.spyOn(tls, 'connect').mockImplementation(((options: tls.ConnectionOptions) => {
    const addresses: string[] = [];
    const socket = realTlsConnect(loopbackOnly(options, addresses));
    dials.push({ host: options.host ?? '', addresses, socket });
    return socket;
  }) as typeof tls.connect);
});
afterAll(() => jest.restoreAllMocks());

interface TestServer {
  readonly origin: string;
  readonly port: number;
  connections: number;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  close(): Promise<void>;
}

async function startServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TestServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', () => {
    state.connections++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const state: TestServer = {
    origin: `http://127.0.0.1:${port}`,
    port,
    connections: 0,
    requests: [],
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return state;
}

const clients: SafeHttpClient[] = [];
const servers: TestServer[] = [];
function client(options: SafeHttpClientOptions = {}): SafeHttpClient {
  const created = new SafeHttpClient({ allowHttp: true, allowLoopback: true, ...options });
  clients.push(created);
  return created;
}
async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const started = await startServer(handler);
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dials.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<HttpClientError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof HttpClientError)) throw new Error(`expected an HttpClientError, got ${String(outcome)}`);
  return outcome;
}

const ok = (_req: IncomingMessage, res: ServerResponse): void => {
  res.setHeader('Content-Type', 'application/activity+json');
  res.setHeader('X-Trace', 'abc');
  res.end('{"ok":true}');
};

describe('SafeHttpClient against loopback servers', () => {
  describe('SSRF guard on (allowLoopback false)', () => {
    it('refuses a loopback IP literal and the server sees no connection at all', async () => {
      const target = await server(ok);
      const guarded = client({ allowLoopback: false });
      for (const url of [`${target.origin}/x`, `http://[::ffff:127.0.0.1]:${target.port}/x`, `http://0x7f.1:${target.port}/`]) {
        const error = await failure(guarded.get(url));
        expect(error.code).toBe('ERR_SSRF_BLOCKED');
        expect(error.addressClass).toBe('loopback');
      }
      expect(target.connections).toBe(0);
      expect(dials).toHaveLength(0);
    });

    it('refuses a host name that resolves to loopback (localhost) before connecting', async () => {
      const target = await server(ok);
      const error = await failure(client({ allowLoopback: false }).get(`http://localhost:${target.port}/`));
      expect(error.code).toBe('ERR_SSRF_BLOCKED');
      expect(error.message).toContain('resolved from localhost');
      expect(target.connections).toBe(0);
      expect(dials).toHaveLength(0);
    });

    it('refuses plain http unless allowHttp, and non-http schemes always', async () => {
      const target = await server(ok);
      expect((await failure(client({ allowHttp: false }).get(`${target.origin}/`))).code).toBe('ERR_INVALID_URL');
      expect((await failure(client().get('file:///etc/passwd'))).code).toBe('ERR_INVALID_URL');
      expect(target.connections).toBe(0);
    });
  });

  describe('with allowLoopback (dev/test policy)', () => {
    it('GETs: status, lower-cased headers, body, final url, timings and a metric', async () => {
      const target = await server(ok);
      const metrics: HttpRequestMetric[] = [];
      const http = client({ userAgent: 'peerfed-test/1', onRequest: (m) => metrics.push(m) });
      const response = await http.get(`${target.origin}/actor?x=1#frag`, { headers: { Accept: 'application/activity+json' } });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/activity+json');
      expect(response.headers['x-trace']).toBe('abc');
      expect(JSON.parse(response.body.toString())).toEqual({ ok: true });
      expect(response.url).toBe(`${target.origin}/actor?x=1`);
      expect(response.redirects).toBe(0);
      expect(response.timings.totalMs).toBeGreaterThanOrEqual(response.timings.headersMs);
      expect(target.requests[0]).toMatchObject({ method: 'GET', url: '/actor?x=1' });
      expect(target.requests[0]?.headers['user-agent']).toBe('peerfed-test/1');
      expect(target.requests[0]?.headers.accept).toBe('application/activity+json');
      expect(metrics).toEqual([{ method: 'GET', origin: target.origin, status: 200, ms: expect.any(Number) as number }]);
    });

    it('still refuses private ranges: a redirect to 10.0.0.1 is blocked before any dial', async () => {
      const target = await server((_req, res) => {
        res.writeHead(302, { Location: 'http://10.0.0.1:8080/internal' }).end();
      });
      const error = await failure(client().get(`${target.origin}/start`));
      expect(error.code).toBe('ERR_SSRF_BLOCKED');
      expect(error.addressClass).toBe('private');
      expect(dials.flatMap((d) => [d.host, ...d.addresses]).every(isLoopbackText)).toBe(true);
    });

    it('POSTs the body and never follows a redirect', async () => {
      const target = await server((req, res) => {
        if (req.url === '/inbox') res.writeHead(307, { Location: '/elsewhere' }).end();
        else res.writeHead(202).end();
      });
      const http = client();
      const accepted = await http.post(`${target.origin}/shared`, { body: '{"type":"Follow"}', headers: { 'Content-Type': 'application/activity+json' } });
      expect(accepted.status).toBe(202);
      expect(target.requests[0]).toMatchObject({ method: 'POST', url: '/shared', body: '{"type":"Follow"}' });
      const redirected = await http.post(`${target.origin}/inbox`, { body: Buffer.from('x') });
      expect(redirected.status).toBe(307);
      expect(redirected.headers.location).toBe('/elsewhere');
      expect(target.requests.map((r) => r.url)).toEqual(['/shared', '/inbox']);
    });

    describe('redirects', () => {
      // /hop/<n> redirects n more times (relative Location), then answers 200.
      const chain = (status: number) => (req: IncomingMessage, res: ServerResponse) => {
        const left = Number((req.url ?? '').split('/')[2]);
        if (left > 0) res.writeHead(status, { Location: `/hop/${left - 1}` }).end('moved');
        else res.end(`arrived ${req.method ?? ''}`);
      };

      it('follows up to 3 redirects (relative Location) and reports the final url', async () => {
        const target = await server(chain(302));
        const metrics: HttpRequestMetric[] = [];
        const response = await client({ onRequest: (m) => metrics.push(m) }).get(`${target.origin}/hop/3`);
        expect(metrics.map((m) => m.status)).toEqual([302, 302, 302, 200]);
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe('arrived GET');
        expect(response.redirects).toBe(3);
        expect(response.url).toBe(`${target.origin}/hop/0`);
      });

      it('fails with ERR_TOO_MANY_REDIRECTS on the 4th and does not request it', async () => {
        const target = await server(chain(301));
        const error = await failure(client().get(`${target.origin}/hop/4`));
        expect(error.code).toBe('ERR_TOO_MANY_REDIRECTS');
        expect(target.requests.map((r) => r.url)).toEqual(['/hop/4', '/hop/3', '/hop/2', '/hop/1']);
      });

      it('honours a per-call maxRedirects, 0 included', async () => {
        const target = await server(chain(303));
        expect((await failure(client().get(`${target.origin}/hop/1`, { maxRedirects: 0 }))).code).toBe('ERR_TOO_MANY_REDIRECTS');
        expect((await client().get(`${target.origin}/hop/5`, { maxRedirects: 5 })).redirects).toBe(5);
      });

      it('drops credentials when a redirect changes origin', async () => {
        const second = await server(ok);
        const first = await server((_req, res) => res.writeHead(302, { Location: `${second.origin}/landing` }).end());
        await client().get(`${first.origin}/`, { headers: { Authorization: 'Bearer secret', Signature: 'sig', Accept: 'x/y' } });
        expect(first.requests[0]?.headers.authorization).toBe('Bearer secret');
        expect(second.requests[0]?.headers.authorization).toBeUndefined();
        expect(second.requests[0]?.headers.signature).toBeUndefined();
        expect(second.requests[0]?.headers.accept).toBe('x/y');
      });
    });

    describe('timeouts', () => {
      it('a server that never answers fails with ERR_TIMEOUT (total) within the timeout', async () => {
        const target = await server(() => undefined);
        const started = Date.now();
        const error = await failure(client().get(`${target.origin}/hang`, { timeoutMs: 300 }));
        const elapsed = Date.now() - started;
        expect(error.code).toBe('ERR_TIMEOUT');
        expect(error.phase).toBe('total');
        expect(elapsed).toBeGreaterThanOrEqual(290);
        expect(elapsed).toBeLessThan(1_500);
      });

      it('headers and body stalls have their own deadlines', async () => {
        const target = await server((req, res) => {
          if (req.url === '/stall-body') {
            res.writeHead(200, { 'Content-Length': '100' });
            res.write('partial');
          }
        });
        const http = client({ headersTimeoutMs: 200, bodyTimeoutMs: 200, timeoutMs: 5_000 });
        const headers = await failure(http.get(`${target.origin}/stall-headers`));
        expect([headers.code, headers.phase]).toEqual(['ERR_TIMEOUT', 'headers']);
        const body = await failure(http.get(`${target.origin}/stall-body`));
        expect([body.code, body.phase]).toEqual(['ERR_TIMEOUT', 'body']);
      });

      it('a caller abort fails with ERR_ABORTED', async () => {
        const target = await server(() => undefined);
        const controller = new AbortController();
        const pending = client().get(`${target.origin}/`, { signal: controller.signal });
        setTimeout(() => controller.abort(), 50);
        expect((await failure(pending)).code).toBe('ERR_ABORTED');
      });
    });

    describe('response size cap', () => {
      const TEN_MB = 10 * 1024 * 1024;
      const CHUNK = Buffer.alloc(64 * 1024, 0x61);
      // Writes 10 MB in 64 KiB chunks, honouring back-pressure, until done or the client goes away.
      const tenMegabytes = (declareLength: boolean) => (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, declareLength ? { 'Content-Length': String(TEN_MB) } : {});
        let sent = 0;
        const pump = (): void => {
          while (sent < TEN_MB && !res.destroyed) {
            sent += CHUNK.length;
            if (!res.write(CHUNK)) {
              res.once('drain', pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        pump();
      };

      it('refuses a declared 10 MB body from its Content-Length, before reading it', async () => {
        const target = await server(tenMegabytes(true));
        const started = Date.now();
        const error = await failure(client().get(`${target.origin}/big`, { maxBytes: 1024 * 1024 }));
        expect(error.code).toBe('ERR_RESPONSE_TOO_LARGE');
        expect(error.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(dials[0]?.socket.bytesRead).toBeLessThan(2 * 1024 * 1024);
      });

      it('a POST with discardBody keeps the status of an oversized answer instead of failing', async () => {
        const target = await server(tenMegabytes(false));
        const response = await client().post(`${target.origin}/inbox`, { body: '{}', discardBody: true, maxBytes: 64 * 1024 });
        expect(response.status).toBe(200);
        expect(response.body).toHaveLength(0);
        expect(dials[0]?.socket.bytesRead).toBeLessThan(2 * 1024 * 1024);
      });

      it('stops a 10 MB chunked body once over the cap, without reading the rest', async () => {
        const target = await server(tenMegabytes(false));
        const started = Date.now();
        const error = await failure(client().get(`${target.origin}/big`, { maxBytes: 256 * 1024 }));
        expect(error.code).toBe('ERR_RESPONSE_TOO_LARGE');
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(dials[0]?.socket.bytesRead).toBeLessThan(2 * 1024 * 1024);
        expect(dials[0]?.socket.destroyed).toBe(true);
      });

      it('accepts a body exactly at the cap', async () => {
        const target = await server((_req, res) => res.end(Buffer.alloc(1000, 0x62)));
        expect((await client().get(`${target.origin}/`, { maxBytes: 1000 })).body).toHaveLength(1000);
      });
    });

    describe('connection pooling', () => {
      it('reuses one keep-alive connection for 20 sequential requests', async () => {
        const target = await server(ok);
        const http = client();
        for (let i = 0; i < 20; i++) expect((await http.get(`${target.origin}/${i}`)).status).toBe(200);
        expect(target.requests).toHaveLength(20);
        expect(target.connections).toBe(1);
      });

      it('opens at most `connections` sockets per origin', async () => {
        const release: Array<() => void> = [];
        const target = await server((_req, res) => release.push(() => res.end('done')));
        const http = client({ connections: 2 });
        const pending = Array.from({ length: 5 }, (_, i) => http.get(`${target.origin}/${i}`));
        const deadline = Date.now() + 2_000;
        let served = 0;
        while (served < 5 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          release.splice(0).forEach((send) => {
            served++;
            send();
          });
        }
        expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
        expect(target.connections).toBe(2);
      });

      it('close() drains the pool and later calls fail with ERR_CLIENT_CLOSED', async () => {
        const target = await server(ok);
        const http = new SafeHttpClient({ allowHttp: true, allowLoopback: true });
        await http.get(`${target.origin}/`);
        await http.close();
        expect(dials[0]?.socket.destroyed).toBe(true);
        expect((await failure(http.get(`${target.origin}/`))).code).toBe('ERR_CLIENT_CLOSED');
      });
    });

    describe('network errors keep their code', () => {
      it('a connection reset surfaces ECONNRESET', async () => {
        const target = await server((req) => req.socket.resetAndDestroy());
        const metrics: HttpRequestMetric[] = [];
        const error = await failure(client({ onRequest: (m) => metrics.push(m) }).post(`${target.origin}/inbox`, { body: 'x' }));
        expect(error.code).toBe('ECONNRESET');
        expect(metrics).toEqual([{ method: 'POST', origin: target.origin, errorCode: 'ECONNRESET', ms: expect.any(Number) as number }]);
      });

      it('a closed port surfaces ECONNREFUSED', async () => {
        const target = await server(ok);
        const { origin } = target;
        await target.close();
        servers.splice(servers.indexOf(target), 1);
        expect((await failure(client().get(`${origin}/`))).code).toBe('ECONNREFUSED');
      });
    });
  });

  describe('https (self-signed certificate for peer.test, names resolved by an injected resolver to 127.0.0.1)', () => {
    let dir: string;
    let cert: Buffer;
    let key: Buffer;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'http-client-tls-'));
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=peer.test',
          '-addext', 'subjectAltName=DNS:peer.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        { stdio: 'ignore', timeout: 10_000 },
      );
      cert = readFileSync(join(dir, 'cert.pem'));
      key = readFileSync(join(dir, 'key.pem'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    async function startTls(): Promise<{ port: number; close: () => Promise<void> }> {
      const tlsServer = createHttpsServer({ key, cert }, (_req, res) => res.end('secure'));
      tlsServer.listen(0, '127.0.0.1');
      await once(tlsServer, 'listening');
      return {
        port: (tlsServer.address() as AddressInfo).port,
        close: async () => {
          tlsServer.closeAllConnections();
          tlsServer.close();
          await once(tlsServer, 'close');
        },
      };
    }
    const toLoopback = jest.fn(() => Promise.resolve([{ address: '127.0.0.1', family: 4 as const }]));

    it('connects by name over TLS with SNI and verifies the certificate against that name', async () => {
      const target = await startTls();
      try {
        const http = client({ allowHttp: false, lookup: toLoopback, ca: cert });
        const response = await http.get(`https://peer.test:${target.port}/actor`);
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe('secure');
        expect(toLoopback).toHaveBeenCalledWith('peer.test');
        expect(dials[0]).toMatchObject({ host: 'peer.test', addresses: ['127.0.0.1'] });

        const wrongName = await failure(http.get(`https://other.test:${target.port}/`));
        expect(wrongName.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
        const untrusted = await failure(client({ lookup: toLoopback }).get(`https://peer.test:${target.port}/`));
        expect(untrusted.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      } finally {
        await target.close();
      }
    });
  });
});
