// Test support for SafeHttpClient's integration specs (not exported from the lib): node:http servers
// on 127.0.0.1 only, clients and servers closed after each test. As a safety net independent of the
// code under test, net/tls.connect are wrapped so that a dial to anything but loopback throws before
// a packet leaves, and every dial is recorded.
import { lookup as dnsLookup } from 'node:dns';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Server as HttpsServer } from 'node:https';
import net, { type AddressInfo, isIP, type LookupFunction, type Socket } from 'node:net';
import tls from 'node:tls';
import { HttpClientError } from '../lib/http-client.exception';
import { type SafeHttpClientOptions } from '../lib/http-client.types';
import { SafeHttpClient } from '../lib/safe-http.client';

export interface Dial {
  readonly host: string;
  readonly addresses: string[];
  readonly socket: Socket;
}

/** Every connection attempted during the current test, in order. */
export const dials: Dial[] = [];

export const isLoopbackText = (address: string): boolean => address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');

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

export interface LoopbackListener {
  readonly port: number;
  close(): Promise<void>;
}

export interface TestServer extends LoopbackListener {
  readonly origin: string;
  connections: number;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
}

export type TestHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const clients: SafeHttpClient[] = [];
const listeners: LoopbackListener[] = [];

/** Installs the safety net for the spec file and closes its clients and servers after each test. */
export function useLoopbackRig(): void {
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
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(listeners.splice(0).map((s) => s.close()));
    dials.length = 0;
  });
}

/** A client with the dev/test policy (plain http, loopback allowed) unless overridden. */
export function client(options: SafeHttpClientOptions = {}): SafeHttpClient {
  const created = new SafeHttpClient({ allowHttp: true, allowLoopback: true, ...options });
  clients.push(created);
  return created;
}

async function listen(server: Server | HttpsServer): Promise<LoopbackListener> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function closeAfterTest<T extends LoopbackListener>(listener: T): T {
  listeners.push(listener);
  return listener;
}

/** Listens on a free port of 127.0.0.1; the server is closed after the test. */
export async function listenOnLoopback(server: Server | HttpsServer): Promise<LoopbackListener> {
  return closeAfterTest(await listen(server));
}

/** Closes a server now (e.g. to free its port) instead of after the test. */
export async function stopServer(listener: LoopbackListener): Promise<void> {
  const index = listeners.indexOf(listener);
  if (index === -1) throw new Error('stopServer: not a server of this test');
  listeners.splice(index, 1);
  await listener.close();
}

/** An http server that counts its connections and records every request, body included. */
export async function server(handler: TestHandler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const httpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  httpServer.on('connection', () => {
    state.connections++;
  });
  const { port, close } = await listen(httpServer);
  const state: TestServer = { origin: `http://127.0.0.1:${port}`, port, connections: 0, requests, close };
  return closeAfterTest(state);
}

/** The HttpClientError a promise rejects with; anything else fails the test. */
export async function failure(promise: Promise<unknown>): Promise<HttpClientError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof HttpClientError)) throw new Error(`expected an HttpClientError, got ${String(outcome)}`);
  return outcome;
}

export const ok = (_req: IncomingMessage, res: ServerResponse): void => {
  res.setHeader('Content-Type', 'application/activity+json');
  res.setHeader('X-Trace', 'abc');
  res.end('{"ok":true}');
};
