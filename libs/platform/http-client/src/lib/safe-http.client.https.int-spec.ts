import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, dials, failure, listenOnLoopback, useLoopbackRig } from '../testing-fixtures/loopback-rig.util';

// https by name against a real loopback TLS server: SNI, certificate checked against the name, and
// the injected resolver pinning the dial (openssl makes a throwaway self-signed cert for peer.test).
useLoopbackRig();

describe('SafeHttpClient against loopback servers', () => {
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

    const startTls = () => listenOnLoopback(createHttpsServer({ key, cert }, (_req, res) => res.end('secure')));
    const toLoopback = jest.fn(() => Promise.resolve([{ address: '127.0.0.1', family: 4 as const }]));

    it('connects by name over TLS with SNI and verifies the certificate against that name', async () => {
      const target = await startTls();
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
    });
  });
});
