import { Worker } from 'node:worker_threads';
import { type ComputeAnswer, type ComputeRequest, THREAD_TASK, type ThreadReply } from './compute.js';

// One long-lived worker thread per process runs compute.ts: starting a thread (and loading the
// engine through tsx in it) costs more than reading and computing a mid-sized conversation, so
// it is started once and kept. It does not keep the process alive when idle, and it goes away
// after a while without work. It loads TypeScript through tsx like this process does (resolved
// here, so it works whatever the working directory).

const tsxApi = import.meta.resolve('tsx/esm/api');
const computeModule = new URL('./compute.ts', import.meta.url).href;
const IDLE_MS = 10 * 60_000;

let worker: Worker | null = null;
let seq = 0;
let idle: NodeJS.Timeout | null = null;
const waiting = new Map<number, { resolve(a: ComputeAnswer): void; reject(e: Error): void }>();

function failAll(err: Error): void {
  for (const w of waiting.values()) w.reject(err);
  waiting.clear();
}

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(computeModule)}); })`,
    { eval: true, workerData: { xsTask: THREAD_TASK } },
  );
  w.on('message', (m: ThreadReply) => {
    const p = waiting.get(m.seq);
    if (!p) return;
    waiting.delete(m.seq);
    if ('error' in m) p.reject(new Error(`deliberation thread: ${m.error}`));
    else p.resolve(m.ok);
    if (waiting.size === 0) {
      w.unref();
      idle = setTimeout(() => { if (worker === w && waiting.size === 0) { worker = null; void w.terminate(); } }, IDLE_MS).unref();
    }
  });
  w.on('error', (err) => { if (worker === w) worker = null; failAll(err); });
  w.on('exit', (code) => { if (worker === w) worker = null; failAll(new Error(`deliberation thread exited with ${code}`)); });
  worker = w;
  return w;
}

export function computeInThread(request: ComputeRequest): Promise<ComputeAnswer> {
  const w = thread();
  if (idle) { clearTimeout(idle); idle = null; }
  w.ref();
  const id = ++seq;
  return new Promise<ComputeAnswer>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ seq: id, request });
  });
}

/** Ends the thread (tests, shutdown); a later request starts a new one. */
export async function stopComputeThread(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}
