import { type HttpRequestMetric } from './http-client.types';
import { client, dials, failure, isLoopbackText, ok, server, useLoopbackRig } from '../testing-fixtures/loopback-rig.util';

// What the address policy lets through and refuses, against real loopback servers: the SSRF guard
// with its default policy, then plain GET and POST under the dev/test policy.
useLoopbackRig();

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
  });
});
