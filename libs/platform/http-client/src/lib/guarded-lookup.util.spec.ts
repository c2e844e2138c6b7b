import { type LookupAddress } from 'node:dns';
import { type HostResolver, pinnedLookup, resolveAllowedAddresses, type ResolvedAddress } from './guarded-lookup.util';

const resolverOf = (...addresses: ResolvedAddress[]): jest.MockedFunction<HostResolver> => jest.fn<ReturnType<HostResolver>, [string]>().mockResolvedValue(addresses);

describe('resolveAllowedAddresses', () => {
  it('returns every address of a name when all are public', async () => {
    const resolver = resolverOf({ address: '8.8.8.8', family: 4 }, { address: '2001:4860:4860::8888', family: 6 });
    await expect(resolveAllowedAddresses('peer.example', resolver, {})).resolves.toHaveLength(2);
    expect(resolver).toHaveBeenCalledWith('peer.example');
  });

  it.each([
    [[{ address: '10.0.0.1', family: 4 }], 'private'],
    [[{ address: '8.8.8.8', family: 4 }, { address: '192.168.0.10', family: 4 }], 'private'],
    [[{ address: '2001:4860:4860::8888', family: 6 }, { address: '::ffff:169.254.169.254', family: 6 }], 'metadata'],
    [[{ address: '127.0.0.1', family: 4 }], 'loopback'],
  ] as Array<[ResolvedAddress[], string]>)('refuses the whole name when any answer is forbidden: %j', async (answers, addressClass) => {
    await expect(resolveAllowedAddresses('rebind.example', resolverOf(...answers), {})).rejects.toMatchObject({
      code: 'ERR_SSRF_BLOCKED',
      addressClass,
    });
  });

  it('with allowLoopback accepts loopback answers but still refuses a private one among them', async () => {
    await expect(resolveAllowedAddresses('localhost', resolverOf({ address: '::1', family: 6 }), { allowLoopback: true })).resolves.toEqual([
      { address: '::1', family: 6 },
    ]);
    const mixed = resolverOf({ address: '127.0.0.1', family: 4 }, { address: '10.0.0.1', family: 4 });
    await expect(resolveAllowedAddresses('dev.example', mixed, { allowLoopback: true })).rejects.toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
  });

  it('vets IP literals without asking the resolver', async () => {
    const resolver = resolverOf();
    await expect(resolveAllowedAddresses('[::1]', resolver, {})).rejects.toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    await expect(resolveAllowedAddresses('8.8.4.4', resolver, {})).resolves.toEqual([{ address: '8.8.4.4', family: 4 }]);
    expect(resolver).not.toHaveBeenCalled();
  });

  it('an empty answer is ENOTFOUND, a resolver failure propagates', async () => {
    await expect(resolveAllowedAddresses('none.example', resolverOf(), {})).rejects.toMatchObject({ code: 'ENOTFOUND' });
    const failing: HostResolver = () => Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }));
    await expect(resolveAllowedAddresses('flaky.example', failing, {})).rejects.toMatchObject({ code: 'EAI_AGAIN' });
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup([
    { address: '8.8.8.8', family: 4 },
    { address: '2001:4860:4860::8888', family: 6 },
  ]);
  const call = (options: { all?: boolean; family?: number }): Promise<unknown[]> =>
    new Promise((resolve) => {
      lookup('ignored.example', options, (...args: unknown[]) => resolve(args));
    });

  it('answers only with the vetted addresses, whatever name net asks for', async () => {
    const [error, all] = (await call({ all: true })) as [null, LookupAddress[]];
    expect(error).toBeNull();
    expect(all).toEqual([
      { address: '8.8.8.8', family: 4 },
      { address: '2001:4860:4860::8888', family: 6 },
    ]);
    expect(await call({})).toEqual([null, '8.8.8.8', 4]);
    expect(await call({ family: 6 })).toEqual([null, '2001:4860:4860::8888', 6]);
  });

  it('fails when no vetted address has the requested family', async () => {
    const [error] = await new Promise<unknown[]>((resolve) => {
      pinnedLookup([{ address: '8.8.8.8', family: 4 }])('x', { family: 6 }, (...args: unknown[]) => resolve(args));
    });
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});
