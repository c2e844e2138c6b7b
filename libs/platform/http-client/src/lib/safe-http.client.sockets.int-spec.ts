import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type HttpRequestMetric } from './http-client.types';
import { SafeHttpClient } from './safe-http.client';
import { client, dials, failure, ok, server, stopServer, useLoopbackRig } from '../testing-fixtures/loopback-rig.util';

// What the client does with its sockets, against real loopback servers under the dev/test policy:
// how much of an oversized body it reads, how it pools connections, and the codes of network errors.
useLoopbackRig();

describe('SafeHttpClient against loopback servers', () => {
  describe('with allowLoopback (dev/test policy)', () => {
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
        await stopServer(target);
        expect((await failure(client().get(`${origin}/`))).code).toBe('ECONNREFUSED');
      });
    });
  });
});
