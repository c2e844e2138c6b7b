import { HttpClientError } from './http-client.exception';
import { parseTargetUrl, type UrlPolicy } from './target-url.util';

function codeOf(input: string, policy: UrlPolicy = {}): string | undefined {
  try {
    parseTargetUrl(input, policy);
    return undefined;
  } catch (error) {
    if (error instanceof HttpClientError) return error.code;
    throw error;
  }
}

describe('parseTargetUrl', () => {
  it('accepts https URLs with host names and public literals, dropping the fragment', () => {
    expect(parseTargetUrl('https://peer.example/users/a?page=2#top', {}).href).toBe('https://peer.example/users/a?page=2');
    expect(parseTargetUrl('https://8.8.8.8:8443/x', {}).host).toBe('8.8.8.8:8443');
    expect(parseTargetUrl('https://[2606:4700::1]/', {}).hostname).toBe('[2606:4700::1]');
  });

  it.each([
    ['not a url', 'ERR_INVALID_URL'],
    ['/relative/only', 'ERR_INVALID_URL'],
    ['ftp://peer.example/file', 'ERR_INVALID_URL'],
    ['file:///etc/passwd', 'ERR_INVALID_URL'],
    ['gopher://peer.example:70/', 'ERR_INVALID_URL'],
    ['data:text/plain,hi', 'ERR_INVALID_URL'],
    ['http://peer.example/', 'ERR_INVALID_URL'],
    ['https://user:pass@peer.example/', 'ERR_INVALID_URL'],
    ['https://user@peer.example/', 'ERR_INVALID_URL'],
    ['https://127.0.0.1/', 'ERR_SSRF_BLOCKED'],
    ['https://2130706433/', 'ERR_SSRF_BLOCKED'],
    ['https://0x7f000001/', 'ERR_SSRF_BLOCKED'],
    ['https://[::1]/', 'ERR_SSRF_BLOCKED'],
    ['https://[::ffff:169.254.169.254]/', 'ERR_SSRF_BLOCKED'],
    ['https://169.254.169.254/latest/meta-data/', 'ERR_SSRF_BLOCKED'],
    ['https://[fd00:ec2::254]/', 'ERR_SSRF_BLOCKED'],
    ['https://10.0.0.1/', 'ERR_SSRF_BLOCKED'],
    ['https://0.0.0.0/', 'ERR_SSRF_BLOCKED'],
  ])('%s is refused with %s', (input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  it('allowHttp opens plain http; allowLoopback opens loopback literals only', () => {
    expect(codeOf('http://peer.example/', { allowHttp: true })).toBeUndefined();
    expect(codeOf('https://127.0.0.1:3000/', { allowLoopback: true })).toBeUndefined();
    expect(codeOf('https://[::1]:3000/', { allowLoopback: true })).toBeUndefined();
    expect(codeOf('https://192.168.1.1/', { allowLoopback: true, allowHttp: true })).toBe('ERR_SSRF_BLOCKED');
  });

  it('resolves a relative Location against the current URL, and vets the result', () => {
    const base = new URL('https://peer.example/a/b');
    expect(parseTargetUrl('../c?d=1', {}, base).href).toBe('https://peer.example/c?d=1');
    expect(() => parseTargetUrl('//10.1.2.3/x', {}, base)).toThrow(expect.objectContaining({ code: 'ERR_SSRF_BLOCKED' }) as Error);
  });

  it('never echoes credentials or the query in its messages', () => {
    try {
      parseTargetUrl('https://user:hunter2@peer.example/x?token=abc', {});
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as HttpClientError).message).not.toContain('hunter2');
      expect((error as HttpClientError).url).toBe('https://peer.example/x');
    }
  });
});
