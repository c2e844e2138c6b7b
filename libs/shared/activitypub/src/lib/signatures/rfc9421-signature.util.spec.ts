import { serializeInnerList, type InnerList } from 'structured-headers';
import { type Checked, type HeaderMap, type SignatureRequest } from './http-signature.types';
import { requestTarget, type RequestTarget } from './request-target.util';
import { parseRfc9421Headers, rfc9421SignatureBase } from './rfc9421-signature.util';

// Component values from the examples of RFC 9421 §2.1 and §2.2.
function request(url: string, headers: HeaderMap = { host: 'www.example.com' }, scheme: 'http' | 'https' = 'https'): SignatureRequest {
  return { method: 'POST', url, headers, scheme };
}

/** The signature base for one component identifier (as written in Signature-Input). */
function baseFor(req: SignatureRequest, identifier: string): Checked<string> {
  const parsed = parseRfc9421Headers({ 'signature-input': `sig=(${identifier});keyid="k"`, signature: 'sig=:AAAA:' });
  if (!parsed.ok) return parsed;
  const input = parsed.value.inputs[0];
  if (input === undefined) throw new Error('no input parsed');
  return rfc9421SignatureBase(req, requestTarget(req) as RequestTarget, input.innerList);
}

/** Its first line: the component's own. */
function line(req: SignatureRequest, identifier: string): string {
  const base = baseFor(req, identifier);
  if (!base.ok) throw new Error(`${base.reason}: ${base.message}`);
  return base.value.split('\n')[0] as string;
}

function failureOf(req: SignatureRequest, identifier: string): string {
  const base = baseFor(req, identifier);
  return base.ok ? 'ok' : base.reason;
}

describe('RFC 9421 derived components (§2.2)', () => {
  const post = request('/path?param=value');

  it.each([
    ['"@method"', '"@method": POST'],
    ['"@target-uri"', '"@target-uri": https://www.example.com/path?param=value'],
    ['"@authority"', '"@authority": www.example.com'],
    ['"@scheme"', '"@scheme": https'],
    ['"@request-target"', '"@request-target": /path?param=value'],
    ['"@path"', '"@path": /path'],
    ['"@query"', '"@query": ?param=value'],
  ])('%s', (identifier, expected) => {
    expect(line(post, identifier)).toBe(expected);
  });

  it('@scheme and @target-uri follow the scheme of a plain-http request; absolute URLs carry their own', () => {
    expect(line(request('/path', { host: 'www.example.com' }, 'http'), '"@scheme"')).toBe('"@scheme": http');
    expect(line(request('http://WWW.Example.com:80/p?q'), '"@target-uri"')).toBe('"@target-uri": http://www.example.com/p?q');
    expect(line(request('https://www.example.com:8443/p'), '"@authority"')).toBe('"@authority": www.example.com:8443');
  });

  it('@query is "?" without a query, and keeps it undecoded', () => {
    expect(line(request('/path'), '"@query"')).toBe('"@query": ?');
    expect(line(request('/path?queryString'), '"@query"')).toBe('"@query": ?queryString');
    expect(line(request('/path?param=value&foo=bar&baz=bat%2Dman'), '"@query"')).toBe('"@query": ?param=value&foo=bar&baz=bat%2Dman');
  });

  it('@query-param selects and re-encodes single parameters', () => {
    const req = request('/path?param=value&foo=bar&baz=batman&qux=');
    expect(line(req, '"@query-param";name="baz"')).toBe('"@query-param";name="baz": batman');
    expect(line(req, '"@query-param";name="qux"')).toBe('"@query-param";name="qux": ');
    expect(line(req, '"@query-param";name="param"')).toBe('"@query-param";name="param": value');
    const encoded = request('/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something');
    expect(line(encoded, '"@query-param";name="var"')).toBe('"@query-param";name="var": this%20is%20a%20big%0Amultiline%20value');
    expect(line(encoded, '"@query-param";name="bar"')).toBe('"@query-param";name="bar": with%20plus%20whitespace');
    expect(line(encoded, '"@query-param";name="fa%C3%A7ade%22%3A%20"')).toBe('"@query-param";name="fa%C3%A7ade%22%3A%20": something');
  });

  it('@query-param fails for an absent or repeated parameter', () => {
    expect(failureOf(request('/path?a=1'), '"@query-param";name="b"')).toBe('missing_required_header');
    expect(failureOf(request('/path?a=1&a=2'), '"@query-param";name="a"')).toBe('missing_required_header');
  });

  it('refuses components that do not exist on a request', () => {
    expect(failureOf(post, '"@status"')).toBe('malformed_signature');
    expect(failureOf(post, '"@signature-params"')).toBe('malformed_signature');
    expect(failureOf(post, '"@unknown"')).toBe('malformed_signature');
    expect(failureOf(post, '"@method";req')).toBe('malformed_signature');
    expect(failureOf(request('/path', {}), '"@authority"')).toBe('missing_required_header');
  });
});

describe('RFC 9421 HTTP field components (§2.1)', () => {
  const req = request('/', {
    host: 'www.example.com',
    date: 'Tue, 20 Apr 2021 02:07:56 GMT',
    'x-ows-header': '   Leading and trailing whitespace.   ',
    'x-obs-fold-header': 'Obsolete\r\n    line folding.',
    'cache-control': ['max-age=60', '   must-revalidate'],
    'example-dict': ' a=1,    b=2;x=1;y=2,   c=(a   b   c)',
    'x-empty-header': '',
  });

  it.each([
    ['"host"', '"host": www.example.com'],
    ['"date"', '"date": Tue, 20 Apr 2021 02:07:56 GMT'],
    ['"x-ows-header"', '"x-ows-header": Leading and trailing whitespace.'],
    ['"x-obs-fold-header"', '"x-obs-fold-header": Obsolete line folding.'],
    ['"cache-control"', '"cache-control": max-age=60, must-revalidate'],
    ['"example-dict"', '"example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)'],
    ['"x-empty-header"', '"x-empty-header": '],
  ])('%s', (identifier, expected) => {
    expect(line(req, identifier)).toBe(expected);
  });

  it('key selects a dictionary member, strictly serialised (§2.1.2)', () => {
    const dict = request('/', { 'example-dict': ' a=1, b=2;x=1;y=2, c=(a   b    c), d' });
    expect(line(dict, '"example-dict";key="a"')).toBe('"example-dict";key="a": 1');
    expect(line(dict, '"example-dict";key="d"')).toBe('"example-dict";key="d": ?1');
    expect(line(dict, '"example-dict";key="b"')).toBe('"example-dict";key="b": 2;x=1;y=2');
    expect(line(dict, '"example-dict";key="c"')).toBe('"example-dict";key="c": (a b c)');
    expect(failureOf(dict, '"example-dict";key="z"')).toBe('missing_required_header');
  });

  it('bs wraps each field line as a byte sequence (§2.1.3)', () => {
    const twoLines = request('/', { 'example-header': ['value, with, lots', 'of, commas'] });
    expect(line(twoLines, '"example-header";bs')).toBe('"example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:');
    const oneLine = request('/', { 'example-header': 'value, with, lots, of, commas' });
    expect(line(oneLine, '"example-header";bs')).toBe('"example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHMsIG9mLCBjb21tYXM=:');
    expect(failureOf(oneLine, '"example-header";bs;sf')).toBe('malformed_signature');
  });

  it('sf re-serialises fields of known structure and refuses unknown ones (§2.1.1)', () => {
    const digest = request('/', { 'content-digest': 'sha-256=:AAAA:,    sha-512=:BBBB:' });
    expect(line(digest, '"content-digest";sf')).toBe('"content-digest";sf: sha-256=:AAAA:, sha-512=:BBBB:');
    expect(failureOf(req, '"example-dict";sf')).toBe('malformed_signature');
  });

  it('fails on absent fields, response-only parameters, unknown parameters, duplicates and non-ASCII values', () => {
    expect(failureOf(req, '"x-absent"')).toBe('missing_required_header');
    expect(failureOf(req, '"date";req')).toBe('malformed_signature');
    expect(failureOf(req, '"date";tr')).toBe('malformed_signature');
    expect(failureOf(req, '"date";zz')).toBe('malformed_signature');
    expect(failureOf(req, '"date" "date"')).toBe('malformed_signature');
    expect(failureOf(request('/', { 'x-name': 'Jos\u00e9' }), '"x-name"')).toBe('malformed_signature');
  });
});

describe('the @signature-params line', () => {
  const req = request('/path?a=1', { host: 'www.example.com', 'x-dict': 'a=1' });

  it.each([
    'sig=("@method" "@path");created=1618884473;keyid="test-key";alg="ed25519"',
    'sig=( "@method"   "@path" );keyid="k"',
    'sig=("x-dict";key="a" "@query-param";name="a");keyid="k";flag',
    'sig=("@method");keyid="with \\"quote\\" and \\\\";weight=1.5;kind=token;raw=:AAAA:',
    'sig=();keyid="k"',
  ])('is the strict serialisation of the parsed inner list: %s', (input) => {
    const parsed = parseRfc9421Headers({ 'signature-input': input, signature: 'sig=:AAAA:' });
    if (!parsed.ok) throw new Error(parsed.message);
    const innerList = (parsed.value.inputs[0] as { innerList: InnerList }).innerList;
    const base = rfc9421SignatureBase(req, requestTarget(req) as RequestTarget, innerList);
    if (!base.ok) throw new Error(base.message);
    expect(base.value.split('\n').at(-1)).toBe(`"@signature-params": ${serializeInnerList(innerList)}`);
  });
});

describe('parseRfc9421Headers', () => {
  it('reads every label with its typed parameters', () => {
    const parsed = parseRfc9421Headers({
      'signature-input': 'a=("@method");created=1;keyid="k1";alg="ed25519";nonce="n";tag="t";expires=2, b=();keyid="k2"',
      signature: 'a=:AAAA:, b=:BBBB:',
    });
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        inputs: [
          { label: 'a', componentNames: ['@method'], keyId: 'k1', alg: 'ed25519', created: 1, expires: 2, nonce: 'n', tag: 't' },
          { label: 'b', componentNames: [], keyId: 'k2' },
        ],
      },
    });
  });

  it.each([
    ['a token component', 'a=(date);keyid="k"'],
    ['an uppercase component', 'a=("Date");keyid="k"'],
    ['a non-integer created', 'a=("date");created=1.5'],
    ['a keyid that is not a string', 'a=("date");keyid=1'],
    ['an item instead of an inner list', 'a="date"'],
  ])('malformed_signature for %s', (_what, input) => {
    expect(parseRfc9421Headers({ 'signature-input': input, signature: 'a=:AAAA:' })).toMatchObject({ ok: false, reason: 'malformed_signature' });
  });

  it('malformed_signature when a Signature member is not a byte sequence', () => {
    expect(parseRfc9421Headers({ 'signature-input': 'a=();keyid="k"', signature: 'a="AAAA"' })).toMatchObject({ reason: 'malformed_signature' });
  });
});
