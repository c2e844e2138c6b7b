import net from 'node:net';
import tls from 'node:tls';
import { createGuardedConnector } from './guarded-connector.util';
import { type HostResolver, type ResolvedAddress } from './guarded-lookup.util';
import { HttpClientError } from './http-client.exception';
import { SafeHttpClient, toHttpClientError } from './safe-http.client';

// No test in this file may open a socket: net/tls.connect throw if anything reaches them.
let netConnect: jest.SpyInstance;
let tlsConnect: jest.SpyInstance;
beforeEach(() => {
  netConnect = jest.spyOn(net, 'connect').mockImplementation(() => {
    throw new Error('unit test: a connection was attempted');
  });
  tlsConnect = jest.spyOn(tls, 'connect').mockImplementation(() => {
    throw new Error('unit test: a connection was attempted');
  });
});
afterEach(() => jest.restoreAllMocks());

const resolverOf = (...addresses: ResolvedAddress[]): jest.MockedFunction<HostResolver> =>
  jest.fn<ReturnType<HostResolver>, [string]>().mockResolvedValue(addresses);

async function failure(promise: Promise<unknown>): Promise<HttpClientError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof HttpClientError)) throw new Error(`expected an HttpClientError, got ${String(outcome)}`);
  return outcome;
}

describe('SafeHttpClient guard before connecting (injected resolver, no traffic)', () => {
  const clients: SafeHttpClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  const clientWith = (resolver: HostResolver, allowLoopback = false): SafeHttpClient => {
    const created = new SafeHttpClient({ lookup: resolver, allowLoopback });
    clients.push(created);
    return created;
  };

  it('a name resolving to 10.0.0.1 is refused and no connect is attempted', async () => {
    const resolver = resolverOf({ address: '10.0.0.1', family: 4 });
    const error = await failure(clientWith(resolver).get('https://peer.example/users/alice'));
    expect(error.code).toBe('ERR_SSRF_BLOCKED');
    expect(error.address).toBe('10.0.0.1');
    expect(error.addressClass).toBe('private');
    expect(resolver).toHaveBeenCalledWith('peer.example');
    expect(netConnect).not.toHaveBeenCalled();
    expect(tlsConnect).not.toHaveBeenCalled();
  });

  it.each([
    ['metadata (v4)', [{ address: '169.254.169.254', family: 4 }]],
    ['metadata (v6)', [{ address: 'fd00:ec2::254', family: 6 }]],
    ['a public answer mixed with a private one', [{ address: '8.8.8.8', family: 4 }, { address: '172.16.5.4', family: 4 }]],
    ['an IPv4-mapped private address', [{ address: '::ffff:192.168.1.1', family: 6 }]],
    ['a NAT64 loopback', [{ address: '64:ff9b::7f00:1', family: 6 }]],
  ] as Array<[string, ResolvedAddress[]]>)('refuses %s on POST too, without connecting', async (_label, answers) => {
    const error = await failure(clientWith(resolverOf(...answers)).post('https://inbox.example/inbox', { body: '{}' }));
    expect(error.code).toBe('ERR_SSRF_BLOCKED');
    expect(netConnect).not.toHaveBeenCalled();
    expect(tlsConnect).not.toHaveBeenCalled();
  });

  it('allowLoopback does not open private answers', async () => {
    const resolver = resolverOf({ address: '127.0.0.1', family: 4 }, { address: '10.0.0.1', family: 4 });
    expect((await failure(clientWith(resolver, true).get('https://dev.example/'))).code).toBe('ERR_SSRF_BLOCKED');
    expect(tlsConnect).not.toHaveBeenCalled();
  });

  it('reports the refusal to the metrics hook', async () => {
    const onRequest = jest.fn();
    const client = new SafeHttpClient({ lookup: resolverOf({ address: '10.0.0.1', family: 4 }), onRequest });
    clients.push(client);
    await failure(client.get('https://peer.example/'));
    expect(onRequest).toHaveBeenCalledWith(expect.objectContaining({ method: 'GET', origin: 'https://peer.example', errorCode: 'ERR_SSRF_BLOCKED' }));
  });
});

describe('createGuardedConnector', () => {
  const connect = (hostname: string, resolver: HostResolver, connectTimeoutMs = 1_000): Promise<unknown> =>
    new Promise((resolve) => {
      createGuardedConnector({ policy: {}, resolver, connectTimeoutMs })({ hostname, host: hostname, protocol: 'https:', port: '443' }, (...args) => resolve(args[0]));
    });

  it('refuses a forbidden IP literal itself, not only through URL parsing', async () => {
    const resolver = resolverOf();
    expect(await connect('10.0.0.1', resolver)).toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    expect(await connect('[::1]', resolver)).toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    expect(resolver).not.toHaveBeenCalled();
    expect(tlsConnect).not.toHaveBeenCalled();
  });

  it('bounds DNS resolution by the connect timeout', async () => {
    const hanging: HostResolver = () => new Promise(() => undefined);
    expect(await connect('slow.example', hanging, 30)).toMatchObject({ code: 'ERR_TIMEOUT', phase: 'connect' });
    expect(tlsConnect).not.toHaveBeenCalled();
  });

  it('dials through tls.connect with a lookup pinned to the vetted addresses', async () => {
    const error = await connect('peer.example', resolverOf({ address: '8.8.8.8', family: 4 }));
    expect(error).toMatchObject({ message: 'unit test: a connection was attempted' }); // the mock, nothing sent
    const [options] = tlsConnect.mock.calls[0] as [tls.ConnectionOptions & { lookup: net.LookupFunction }];
    expect(options).toMatchObject({ host: 'peer.example', servername: 'peer.example', rejectUnauthorized: true });
    const answer = await new Promise<unknown[]>((resolve) => {
      options.lookup('peer.example', { all: true }, (...args: unknown[]) => resolve(args));
    });
    expect(answer).toEqual([null, [{ address: '8.8.8.8', family: 4 }]]);
  });
});

describe('SafeHttpClient options and inputs', () => {
  it.each([
    [{ connections: 0 }],
    [{ timeoutMs: -1 }],
    [{ maxBytes: 1.5 }],
    [{ maxRedirects: -1 }],
    [{ connectTimeoutMs: Number.NaN }],
  ])('rejects bad option %j', (options) => {
    expect(() => new SafeHttpClient(options)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }) as Error);
  });

  it('rejects bad per-call options and a missing POST body before any I/O', async () => {
    const client = new SafeHttpClient({ lookup: resolverOf() });
    await expect(client.get('https://peer.example/', { maxBytes: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(client.post('https://peer.example/', { body: undefined as unknown as string })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(client.get('https://peer.example/', { headers: { accept: 1 as unknown as string } })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    await client.close();
    await expect(client.get('https://peer.example/')).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
  });
});

describe('toHttpClientError', () => {
  it('keeps transport codes and the original error as cause', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const mapped = toHttpClientError(reset, 'https://peer.example/');
    expect(mapped).toMatchObject({ code: 'ECONNRESET', url: 'https://peer.example/' });
    expect(mapped.cause).toBe(reset);
  });

  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'connect'],
    ['UND_ERR_HEADERS_TIMEOUT', 'headers'],
    ['UND_ERR_BODY_TIMEOUT', 'body'],
  ])('maps %s to ERR_TIMEOUT (%s)', (code, phase) => {
    expect(toHttpClientError(Object.assign(new Error('t'), { code }), 'u')).toMatchObject({ code: 'ERR_TIMEOUT', phase });
  });

  it('passes an HttpClientError through and labels code-less errors ERR_UNEXPECTED', () => {
    const own = new HttpClientError('ERR_SSRF_BLOCKED', 'x');
    expect(toHttpClientError(own, 'u')).toBe(own);
    expect(toHttpClientError('boom', 'u')).toMatchObject({ code: 'ERR_UNEXPECTED' });
  });
});
