import { validateSync } from 'class-validator';
import { IsHttpUrl, isHttpUrl } from './url-rules.util';

class Target {
  @IsHttpUrl()
  inbox!: unknown;

  @IsHttpUrl({ each: true })
  mentions: unknown[] = [];
}

function errorsOf(inbox: unknown, mentions: unknown[] = []): string[] {
  const target = Object.assign(new Target(), { inbox, mentions });
  return validateSync(target).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('IsHttpUrl', () => {
  it.each(['https://example.com/users/a/inbox', 'http://localhost:3000/inbox', 'http://127.0.0.1:8080/x?y=1'])('accepts %s', (url) => {
    expect(isHttpUrl(url)).toBe(true);
    // Twice: the second answer comes from the memo and must agree.
    expect(isHttpUrl(url)).toBe(true);
    expect(errorsOf(url)).toEqual([]);
  });

  it.each([['ftp://example.com/x'], ['/users/a/inbox'], ['example.com/inbox'], ['https://'], [42], [null], [undefined]])('rejects %p, every time', (value) => {
    expect(isHttpUrl(value)).toBe(false);
    expect(isHttpUrl(value)).toBe(false);
    expect(errorsOf(value)).toEqual(['inbox must be a URL address']);
  });

  it('keeps class-validator options: each element of an array, with the message naming the property', () => {
    expect(errorsOf('https://a.example/inbox', ['https://b.example/u', 'nope'])).toEqual(['each value in mentions must be a URL address']);
  });

  it('stays correct past its memo limit', () => {
    for (let i = 0; i < 10_050; i++) expect(isHttpUrl(`https://h${i}.example/inbox`)).toBe(true);
    expect(isHttpUrl('not a url')).toBe(false);
    expect(isHttpUrl('https://h0.example/inbox')).toBe(true);
  });
});
