import { sameOrigin } from './same-origin.util';

describe('sameOrigin', () => {
  it('matches scheme, host and port, not the path', () => {
    expect(sameOrigin('https://a.example/users/x/statuses/1/activity', 'https://a.example/users/x')).toBe(true);
    expect(sameOrigin('https://A.example:443/x', 'https://a.example/y')).toBe(true);
    expect(sameOrigin('https://a.example/x', 'https://b.example/x')).toBe(false);
    expect(sameOrigin('https://a.example/x', 'http://a.example/x')).toBe(false);
    expect(sameOrigin('http://127.0.0.1:3000/x', 'http://127.0.0.1:3001/x')).toBe(false);
    expect(sameOrigin('https://sub.a.example/x', 'https://a.example/x')).toBe(false);
  });

  it('never matches what is not an absolute http(s) URL', () => {
    expect(sameOrigin('not a url', 'not a url')).toBe(false);
    expect(sameOrigin('urn:uuid:1', 'urn:uuid:1')).toBe(false);
    expect(sameOrigin('', '')).toBe(false);
  });
});
