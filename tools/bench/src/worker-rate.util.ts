import { Worker } from 'node:worker_threads';

/** Runs a CommonJS worker script (eval) and resolves with the first message it posts. */
export function runEvalWorker<T>(source: string, workerData: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData });
    worker.once('message', (message: T) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export type RsaOperation = 'sign' | 'verify';

// Each worker signs, or verifies with a parsed (cached) KeyObject, a 200-byte string with one
// RSA-2048 key for `seconds` and reports its rate per second.
const RSA_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { generateKeyPairSync, sign, verify } = require('node:crypto');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const data = Buffer.alloc(200, 'x');
const signature = sign('sha256', data, privateKey);
const once = workerData.operation === 'verify'
  ? () => verify('sha256', data, publicKey, signature)
  : () => sign('sha256', data, privateKey);
const start = Date.now();
let count = 0;
while (Date.now() - start < workerData.seconds * 1000) { once(); count++; }
parentPort.postMessage(count / ((Date.now() - start) / 1000));
`;

/** RSA-2048 sign or verify operations per second over `workers` threads together: the CPU ceiling a service is compared with. */
export async function rsaRate(operation: RsaOperation, workers: number, seconds: number): Promise<number> {
  const rates = await Promise.all(Array.from({ length: workers }, () => runEvalWorker<number>(RSA_WORKER, { operation, seconds })));
  return rates.reduce((sum, rate) => sum + rate, 0);
}
