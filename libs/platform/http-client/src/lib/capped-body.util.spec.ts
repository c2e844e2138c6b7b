import { Readable } from 'node:stream';
import { readCappedBody } from './capped-body.util';

function chunks(count: number, size: number): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = new Readable({
    read() {
      if (pulled === count) {
        this.push(null);
        return;
      }
      pulled++;
      this.push(Buffer.alloc(size, 0x61));
    },
  });
  return { stream, pulled: () => pulled };
}

describe('readCappedBody', () => {
  it('concatenates a body within the cap, the cap itself included', async () => {
    const { stream } = chunks(4, 250);
    expect(await readCappedBody(stream, 1000, undefined, 'u')).toEqual(Buffer.alloc(1000, 0x61));
  });

  it('refuses from Content-Length without reading a byte', async () => {
    const { stream, pulled } = chunks(100, 1000);
    await expect(readCappedBody(stream, 1000, '10485760', 'u')).rejects.toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' });
    expect(pulled()).toBe(0);
    expect(stream.destroyed).toBe(true);
  });

  it('stops streaming as soon as the running total passes the cap', async () => {
    const { stream, pulled } = chunks(10_000, 1024);
    await expect(readCappedBody(stream, 8 * 1024, undefined, 'u')).rejects.toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' });
    expect(pulled()).toBeLessThan(100);
    expect(stream.destroyed).toBe(true);
  });

  it('ignores an unparsable Content-Length and still enforces the cap while streaming', async () => {
    const { stream } = chunks(3, 600);
    await expect(readCappedBody(stream, 1000, 'lots', 'u')).rejects.toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' });
  });
});
