import { isBlockedDomain } from './blocked-domain.util';

describe('isBlockedDomain', () => {
  it('matches the domain, its subdomains and host:port entries', () => {
    expect(isBlockedDomain('https://spam.example/users/x', ['spam.example'])).toBe('spam.example');
    expect(isBlockedDomain('https://a.b.spam.example/users/x', ['spam.example'])).toBe('spam.example');
    expect(isBlockedDomain('http://127.0.0.1:4000/users/x', ['127.0.0.1:4000'])).toBe('127.0.0.1:4000');
    expect(isBlockedDomain('https://SPAM.example/users/x', ['spam.example'])).toBe('spam.example');
  });

  it('does not match look-alikes or other hosts', () => {
    expect(isBlockedDomain('https://notspam.example/users/x', ['spam.example'])).toBeUndefined();
    expect(isBlockedDomain('https://spam.example.org/users/x', ['spam.example'])).toBeUndefined();
    expect(isBlockedDomain('http://127.0.0.1:4001/users/x', ['127.0.0.1:4000'])).toBeUndefined();
    expect(isBlockedDomain('not a url', ['spam.example'])).toBeUndefined();
    expect(isBlockedDomain('https://spam.example/', [])).toBeUndefined();
  });
});
