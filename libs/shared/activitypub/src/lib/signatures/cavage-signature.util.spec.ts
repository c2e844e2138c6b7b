import { cavageSigningString, parseCavageSignatureHeader } from './cavage-signature.util';
import { type SignatureRequest } from './http-signature.types';
import { requestTarget, type RequestTarget } from './request-target.util';

function parse(header: string) {
  const result = parseCavageSignatureHeader(header);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('parseCavageSignatureHeader', () => {
  it('keeps commas and escaped quotes inside quoted values', () => {
    const params = parse('keyId="https://a.example/u?x=1,2#key",algorithm="rsa-sha256",headers="date",signature="AAAA",note="say \\"hi\\", ok"');
    expect(params.keyId).toBe('https://a.example/u?x=1,2#key');
    expect(params.headers).toEqual(['date']);
  });

  it('tolerates whitespace, a trailing comma, any parameter case and unknown parameters', () => {
    const params = parse(' KeyId = "k" ,  Algorithm="HS2019",  headers="(request-target)   host date", opaque="x", signature="AAAA", ');
    expect(params).toMatchObject({ keyId: 'k', algorithm: 'hs2019', headers: ['(request-target)', 'host', 'date'] });
  });

  it('reads unquoted created/expires and defaults headers to (created) when created is given, else date', () => {
    expect(parse('keyId="k",created=1402170695,expires=1402170699.5,signature="AAAA"')).toMatchObject({
      created: '1402170695',
      expires: '1402170699.5',
      headers: ['(created)'],
    });
    expect(parse('keyId="k",signature="AAAA"').headers).toEqual(['date']);
    expect(parse('keyId="k",signature="AAAA"').algorithm).toBeUndefined();
  });

  it.each([
    ['missing keyId', 'signature="AAAA"'],
    ['missing signature', 'keyId="k"'],
    ['empty headers', 'keyId="k",headers="  ",signature="AAAA"'],
    ['a created that is not an integer', 'keyId="k",created=12.5,signature="AAAA"'],
    ['a stray character', 'keyId="k";signature="AAAA"'],
    ['a missing "="', 'keyId "k",signature="AAAA"'],
    ['text after a quoted value', 'keyId="k"x,signature="AAAA"'],
  ])('refuses %s', (_what, header) => {
    expect(parseCavageSignatureHeader(header)).toMatchObject({ ok: false, reason: 'malformed_signature' });
  });
});

describe('cavageSigningString', () => {
  const request: SignatureRequest = {
    method: 'GET',
    url: '/users/alice?page=2',
    headers: { host: 'a.example', accept: ['application/activity+json', 'application/ld+json'], date: 'Sun, 05 Jan 2014 21:31:40 GMT' },
  };
  const target = requestTarget(request) as RequestTarget;

  it('lowercases the method, keeps the query, joins repeated headers', () => {
    expect(cavageSigningString(request, target, { headers: ['(request-target)', 'host', 'accept'] })).toEqual({
      ok: true,
      value: '(request-target): get /users/alice?page=2\nhost: a.example\naccept: application/activity+json, application/ld+json',
    });
  });

  it('(created)/(expires) need their parameter and an algorithm that allows them', () => {
    expect(cavageSigningString(request, target, { headers: ['(created)'], algorithm: 'hs2019', created: '1402170695' })).toEqual({
      ok: true,
      value: '(created): 1402170695',
    });
    expect(cavageSigningString(request, target, { headers: ['(created)'], algorithm: 'hs2019' })).toMatchObject({ reason: 'malformed_signature' });
    expect(cavageSigningString(request, target, { headers: ['(expires)'], algorithm: 'rsa-sha256', expires: '1' })).toMatchObject({
      reason: 'malformed_signature',
    });
  });

  it('refuses unknown pseudo-headers and reports absent headers', () => {
    expect(cavageSigningString(request, target, { headers: ['(keyid)'] })).toMatchObject({ reason: 'malformed_signature' });
    expect(cavageSigningString(request, target, { headers: ['digest'] })).toMatchObject({ reason: 'missing_required_header' });
  });
});
