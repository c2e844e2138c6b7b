import { parseInteropArgs } from './cli-args.mjs';

describe('parseInteropArgs', () => {
  it('defaults to the npm start ingress and its demo Group', () => {
    const options = parseInteropArgs([]);
    expect(options.target.href).toBe('http://localhost:3000/');
    expect(options.handle).toBe('@demo@localhost:3000');
    expect(options.acceptTimeoutMs).toBe(30_000);
    expect(options.verbose).toBe(false);
  });

  it('derives the handle from another target and takes the other options', () => {
    const options = parseInteropArgs(['--target', 'http://127.0.0.1:4100', '--timeout', '5', '--verbose']);
    expect(options.target.origin).toBe('http://127.0.0.1:4100');
    expect(options.handle).toBe('@demo@127.0.0.1:4100');
    expect(options.acceptTimeoutMs).toBe(5000);
    expect(options.verbose).toBe(true);
    expect(parseInteropArgs(['--handle', 'club@peer.test']).handle).toBe('club@peer.test');
  });

  it('rejects what it cannot use with a message that names the option', () => {
    expect(() => parseInteropArgs(['--target', 'localhost:3000'])).toThrow('--target must be an http(s) origin');
    expect(() => parseInteropArgs(['--target', 'nope'])).toThrow('--target is not a URL');
    expect(() => parseInteropArgs(['--target', 'http://localhost:3000/groups'])).toThrow('--target must be an http(s) origin');
    expect(() => parseInteropArgs(['--handle', 'demo'])).toThrow('--handle must look like');
    expect(() => parseInteropArgs(['--timeout', '0'])).toThrow('--timeout must be');
    expect(() => parseInteropArgs(['--bogus'])).toThrow();
  });
});
