import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type HttpRequestMetric } from './http-client.types';
import { client, failure, ok, server, useLoopbackRig } from '../testing-fixtures/loopback-rig.util';

// Redirect following (limits, relative Location, header stripping) and the client's deadlines,
// against real loopback servers under the dev/test policy.
useLoopbackRig();

describe('SafeHttpClient against loopback servers', () => {
  describe('with allowLoopback (dev/test policy)', () => {
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
  });
});
