import { waitFor } from './wait-for.util';

describe('waitFor', () => {
  it('returns the first truthy value of the condition', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `done after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe('done after 3');
  });

  it('treats a throwing condition as not yet and reports its last error on timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'the server' },
      ),
    ).rejects.toThrow(/Timed out after 30 ms waiting for the server: last error: connection refused/);
  });

  it('stops at once when abortWhen returns an error', async () => {
    const started = Date.now();
    let checks = 0;
    await expect(
      waitFor(() => false, { timeoutMs: 5_000, abortWhen: () => (++checks > 2 ? new Error('process exited') : undefined) }),
    ).rejects.toThrow('process exited');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
