import { useTestRedis, waitFor } from '@peerfed/platform/testing';
import { SIGNATURE_SCHEMES_KEY } from '@peerfed/shared/contracts';
import { SignatureSchemesRepository } from './signature-schemes.repository';

describe('SignatureSchemesRepository (one Redis)', () => {
  const fixture = useTestRedis();

  beforeEach(() => fixture.redis.del(SIGNATURE_SCHEMES_KEY));

  it('signs draft-cavage by default, RFC 9421 for configured hosts and hosts ingress recorded', async () => {
    const schemes = new SignatureSchemesRepository(fixture.redis, new Set(['configured.example']));
    await schemes.start(60_000);
    try {
      expect(schemes.schemeFor('unknown.example')).toBe('cavage');
      expect(schemes.schemeFor('configured.example')).toBe('rfc9421');
      // What ingress writes when a host signs with RFC 9421; unparseable values are ignored.
      await fixture.redis.hset(SIGNATURE_SCHEMES_KEY, 'fedify.example', 'rfc9421', 'odd.example', 'rfc9999');
      expect(schemes.schemeFor('fedify.example')).toBe('cavage');
      await schemes.refresh();
      expect(schemes.schemeFor('fedify.example')).toBe('rfc9421');
      expect(schemes.schemeFor('odd.example')).toBe('cavage');
    } finally {
      schemes.stop();
    }
  });

  it('a refusal switches the host to draft-cavage here at once, for other replicas at their next reload, and outranks configuration', async () => {
    const here = new SignatureSchemesRepository(fixture.redis, new Set(['configured.example']));
    const replica = new SignatureSchemesRepository(fixture.redis);
    await fixture.redis.hset(SIGNATURE_SCHEMES_KEY, 'fedify.example', 'rfc9421');
    await Promise.all([here.start(60_000), replica.start(20)]);
    try {
      expect(replica.schemeFor('fedify.example')).toBe('rfc9421');
      await here.markRfc9421Refused('fedify.example');
      await here.markRfc9421Refused('configured.example');
      expect(here.schemeFor('fedify.example')).toBe('cavage');
      expect(here.schemeFor('configured.example')).toBe('cavage');
      expect(await fixture.redis.hget(SIGNATURE_SCHEMES_KEY, 'fedify.example')).toBe('cavage');
      await waitFor(() => replica.schemeFor('fedify.example') === 'cavage', { timeoutMs: 2_000, description: 'the replica reloads' });
    } finally {
      here.stop();
      replica.stop();
    }
  });
});
