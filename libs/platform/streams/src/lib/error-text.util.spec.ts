import { errorText, isNoGroupError } from './error-text.util';

describe('errorText', () => {
  it('describes errors, Nest RPC error objects, strings and anything else', () => {
    expect(errorText(new TypeError('bad'))).toBe('TypeError: bad');
    expect(errorText({ status: 'error', message: 'Internal server error' })).toBe('Internal server error');
    expect(errorText('plain')).toBe('plain');
    expect(errorText({ code: 7 })).toBe('{"code":7}');
    expect(errorText('x'.repeat(3000))).toHaveLength(2003);
  });

  it('recognises NOGROUP, also when a script wraps it', () => {
    expect(isNoGroupError(new Error("NOGROUP No such key '{a.v1}:high' or consumer group 'g'"))).toBe(true);
    expect(isNoGroupError(new Error('ERR Error running script: @user_script:3: NOGROUP No such key'))).toBe(true);
    expect(isNoGroupError(new Error('ECONNRESET'))).toBe(false);
  });
});
