import { parentPort, workerData } from 'node:worker_threads';
import { OpinionHistory, type SeedPlan } from './opinions-history.js';

// The seed's generator in a worker thread: it makes the next chunk while the main thread
// writes the previous one. Protocol: the parent posts 'next'; the worker answers with the
// chunk, or with { end: stats } once every opinion is out.

const history = new OpinionHistory(workerData as SeedPlan);
parentPort!.on('message', (msg: unknown) => {
  if (msg !== 'next') return;
  try {
    const chunk = history.next();
    parentPort!.postMessage(chunk ? { chunk } : { end: history.stats });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
