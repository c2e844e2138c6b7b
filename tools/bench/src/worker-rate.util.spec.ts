import { rsaRate, runEvalWorker } from './worker-rate.util';

describe('worker helpers', () => {
  it('runEvalWorker resolves with the first message of the script', async () => {
    const echoed = await runEvalWorker<{ n: number }>(
      "const { parentPort, workerData } = require('node:worker_threads'); parentPort.postMessage({ n: workerData.n * 2 });",
      { n: 21 },
    );
    expect(echoed).toEqual({ n: 42 });
  });

  it('runEvalWorker rejects when the script throws', async () => {
    await expect(runEvalWorker("throw new Error('boom');", {})).rejects.toThrow('boom');
  });

  it('rsaRate measures a positive rate for sign and verify', async () => {
    const [signs, verifies] = [await rsaRate('sign', 1, 0.05), await rsaRate('verify', 1, 0.05)];
    expect(signs).toBeGreaterThan(0);
    expect(verifies).toBeGreaterThan(signs);
  }, 20_000);
});
