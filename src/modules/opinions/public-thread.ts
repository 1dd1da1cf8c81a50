import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

// CPU- or SQLite-bound work behind the public pages (clustering hotspots, the statistics'
// pass over a year of opinions) runs in a worker thread, so the web server in the same
// process keeps answering while it runs (better-sqlite3 and the clustering are synchronous).
// The thread loads the given module — TypeScript, through tsx like this process — which
// answers with `answerInThread` for its task name.

interface Envelope { xsTask: string; data: unknown }

/** Runs `task` (registered with `answerInThread` in the module at `moduleUrl`) in a new thread. */
export function inThread<T>(moduleUrl: string, task: string, data: unknown): Promise<T> {
  const url = JSON.stringify(moduleUrl);
  // tsx resolved from here, not from the working directory the process was started in.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const worker = new Worker(`import(${tsx}).then((m) => { m.register(); return import(${url}); })`, {
    eval: true, workerData: { xsTask: task, data } satisfies Envelope,
  });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    worker.once('message', (m: { ok: T } | { error: string }) => {
      settled = true;
      if ('error' in m) reject(new Error(`${task} thread: ${m.error}`));
      else resolve(m.ok);
      void worker.terminate();
    });
    worker.once('error', (err) => { settled = true; reject(err); });
    worker.once('exit', (code) => { if (!settled) reject(new Error(`${task} thread exited with ${code}`)); });
  });
}

/** In a thread started by `inThread` for `task`: runs `fn` on its data and posts the answer. */
export function answerInThread(task: string, fn: (data: any) => unknown): void {
  const env = workerData as Partial<Envelope> | null;
  if (isMainThread || env?.xsTask !== task) return;
  Promise.resolve()
    .then(() => fn(env.data))
    .then((ok) => parentPort?.postMessage({ ok }), (err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) }));
}
