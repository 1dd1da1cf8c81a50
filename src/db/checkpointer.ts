import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// SQLite in WAL mode copies the log back into the database file (a checkpoint) from inside a
// committing transaction, by default every 1,000 pages: the unlucky write that crosses the
// line pays for copying them, on the event loop. Here a worker thread with a connection of its
// own does it instead, every `intervalMs`, in PASSIVE mode (it never blocks a writer or a
// reader; frames still in use are left for the next round). The main connection keeps an
// automatic checkpoint as a safety net, at a much larger log (`fallbackPages`), in case the
// worker falls behind or is gone.
// Under a steady stream of small commits (votes at hundreds a second) a PASSIVE checkpoint
// never catches up with the end of the log, so the log is never started again from the top
// and grows until the main connection's own checkpoint steps in — on every commit from then
// on, stalling the event loop up to 100 ms each (bench/deliberation-votes.ts, paced votes).
// So once the log holds `restartPages`, the worker follows with a RESTART checkpoint: it
// briefly holds off writers and lets the next write start the log from the beginning. It never
// waits for a reader (busy timeout 0: it tries again next round), and it flushes the log and the
// database file itself first, with no lock held, so that RESTART's own flushes, made with the
// write lock held, have little left to do. Traced (bench/wal-locks.ts, 500 votes/s while
// recomputing, under strace): RESTART held the write lock 14–17 ms at a time before (fsync of
// the database file 13.6 ms of it), 2.8–4.7 ms after.
// Measured (1M opinions, 3,000 submissions in process, .tmp/submit-time.ts): the commit's share
// of SQLite time per submission fell from about 0.20 ms to 0.05 ms.

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { closeSync, fsyncSync, openSync } = require('node:fs');
const db = new Database(workerData.file);
// RESTART holds off writers while it runs: it never waits (for a reader still on an old
// snapshot, say); it gives up at once and tries again next round.
db.pragma('busy_timeout = 0');
// The database file and its log, only to flush them (fsync acts on the file, whichever
// descriptor asks); the log is opened once it exists.
const dbFd = openSync(workerData.file, 'r');
let walFd = null;
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (r && r.log >= workerData.restartPages) {
      // RESTART flushes the log, copies what PASSIVE left and flushes the database file, all with
      // the write lock held. PASSIVE leaves the pages it copied unflushed unless it reached the
      // end of the log (never, under a steady stream of writes), and commits do not flush the
      // log (synchronous = NORMAL): so those flushes took 10–20 ms here, every writer waiting.
      // Flushed first, with no lock held, RESTART only flushes what came since.
      walFd ??= openSync(workerData.file + '-wal', 'r');
      fsyncSync(walFd);
      fsyncSync(dbFd);
      db.pragma('wal_checkpoint(RESTART)');
    }
  } catch { /* busy or closing: next round */ }
  setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (m) => {
  if (m === 'stop') {
    stopped = true;
    try { db.close(); closeSync(dbFd); if (walFd !== null) closeSync(walFd); } finally { parentPort.postMessage('stopped'); }
  }
});
tick();
`;

export interface Checkpointer { stop(): Promise<void> }

export function startCheckpointer(file: string, opts: { intervalMs?: number; restartPages?: number } = {}): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // A plain CommonJS worker: no TypeScript loader needed, so no inherited --import flags.
    execArgv: [],
    workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: opts.intervalMs ?? 200, restartPages: opts.restartPages ?? 4000 },
  });
  worker.unref();
  // A failing checkpointer must not take the process down: the fallback checkpoint remains.
  worker.on('error', () => {});
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once('exit', done);
        worker.once('message', () => { void worker.terminate().then(done, done); });
        worker.postMessage('stop');
        setTimeout(() => { void worker.terminate().then(done, done); }, 2000).unref();
      });
      return stopping;
    },
  };
}
