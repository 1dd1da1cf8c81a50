// The app (and, with BENCH_WORKER=1, the job worker) in a process of its own, for
// bench/deliberation-votes.ts. Prints "ready <address>", the recomputations as they start and
// end, and on SIGTERM how long votes took inside the app and how long its event loop was held
// up. SIGUSR2 starts both measures afresh (sent just before the measured window).
import { createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { closeContext, createContext } from '../src/context.js';
import '../src/modules/deliberation/recompute.js';
import { JobWorker } from '../src/platform/jobs/worker.js';

const out = (l: string) => process.stdout.write(`${l}\n`);
const ctx = await createContext(loadConfig(process.env, { logLevel: 'silent', workerInline: false }));
const app = await buildApp(ctx, { logLevel: 'silent' });
let worker: JobWorker | null = null;
if (process.env.BENCH_WORKER === '1') {
  const report = (o: unknown, msg?: string) => {
    if (msg === 'deliberation recomputed') out(`recomputed ${JSON.stringify({ ...(o as object), at: Date.now() })}`);
    if (msg === 'deliberation recompute started') out(`started ${Date.now()}`);
  };
  worker = new JobWorker(ctx, { pollMs: 50, log: { info: report, warn: (o: unknown) => out(`warn ${JSON.stringify(o)}`), error: (o: unknown) => out(`error ${String((o as { err?: Error }).err?.stack ?? JSON.stringify(o))}`) } as never });
  worker.start();
}
// Inside the app: from the request's head parsed to the answer handed to the kernel, in µs.
// This leaves out the sender and the loopback, which the floor (bench/baseline.ts) measures.
const served = createHistogram();
app.server.prependListener('request', (req, res) => {
  if (req.method !== 'POST' || !req.url?.endsWith('/votes')) return;
  const t = process.hrtime.bigint();
  res.once('finish', () => served.record(Math.max(1, Number((process.hrtime.bigint() - t) / 1000n))));
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
// How long the app's event loop was held up (by anything in this thread). The histogram holds
// the time between ticks of a 5 ms timer; the tick is taken off, so 0 is never held up.
const TICK_MS = 5;
const loop = monitorEventLoopDelay({ resolution: TICK_MS });
loop.enable();
out(`ready ${address}`);
// How busy the event loop was (time not waiting for I/O) over the window, and the process's CPU
// time (all threads): per vote, the service time with no queueing.
let elu = performance.eventLoopUtilization();
let cpu = process.cpuUsage();
process.on('SIGUSR2', () => { served.reset(); loop.reset(); elu = performance.eventLoopUtilization(); cpu = process.cpuUsage(); });
process.on('SIGTERM', () => {
  loop.disable();
  const held = (ns: number) => Math.max(0, ns / 1e6 - TICK_MS);
  out(`loop ${JSON.stringify({ p50: held(loop.percentile(50)), p99: held(loop.percentile(99)), max: held(loop.max) })}`);
  const ms = (us: number) => Number((us / 1000).toFixed(2));
  if (served.count > 0) out(`served ${JSON.stringify({ count: served.count, p50: ms(served.percentile(50)), p90: ms(served.percentile(90)), p99: ms(served.percentile(99)), max: ms(served.max) })}`);
  const busy = performance.eventLoopUtilization(elu);
  const used = process.cpuUsage(cpu);
  if (served.count > 0) out(`busy ${JSON.stringify({ loopMsPerVote: Number((busy.active / served.count).toFixed(3)), processCpuMsPerVote: Number(((used.user + used.system) / 1000 / served.count).toFixed(3)), loopUtilization: Number(busy.utilization.toFixed(3)) })}`);
  // The worker first: a run still going would otherwise meet a closed database.
  void Promise.resolve(worker?.stop()).then(() => app.close()).then(() => closeContext(ctx)).then(() => process.exit(0));
});
