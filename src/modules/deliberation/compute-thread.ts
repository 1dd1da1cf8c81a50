import { Worker } from 'node:worker_threads';
import { type ComputeAnswer, type ComputeRequest, THREAD_TASK } from './compute.js';

// Starts compute.ts in a worker thread. The thread loads TypeScript through tsx like this
// process does (resolved here, so it works whatever the working directory).

const tsxApi = import.meta.resolve('tsx/esm/api');
const computeModule = new URL('./compute.ts', import.meta.url).href;

export function computeInThread(request: ComputeRequest): Promise<ComputeAnswer> {
  const worker = new Worker(
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(computeModule)}); })`,
    { eval: true, workerData: { xsTask: THREAD_TASK, request } },
  );
  return new Promise<ComputeAnswer>((resolve, reject) => {
    let settled = false;
    worker.once('message', (m: { ok: ComputeAnswer } | { error: string }) => {
      settled = true;
      if ('error' in m) reject(new Error(`deliberation thread: ${m.error}`));
      else resolve(m.ok);
      void worker.terminate();
    });
    worker.once('error', (err) => { settled = true; reject(err); });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`deliberation thread exited with ${code}`)); });
  });
}
