import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { AppContext } from '../../src/context.js';
import { computeInThread, stopComputeThread } from '../../src/modules/deliberation/compute-thread.js';
import { dbTarget } from '../../src/modules/deliberation/recompute.js';
import { lowerThreadPriority } from '../../src/platform/background-thread.js';
import { createTestContext } from '../helpers/app.js';

// The math thread's priority: nice 19 and the SCHED_IDLE class for that thread only, as the
// kernel sees it (read back from /proc); the process's main thread is never lowered.

const linux = process.platform === 'linux';
const SCHED_IDLE = 5;

/**
 * Nice value and scheduling policy of a thread of this process, from /proc/<pid>/task/<tid>/stat.
 * A thread that ended between listing the tasks and reading its stat (Node's helpers come and go)
 * is reported as unlowered: it runs nothing any more.
 */
function scheduling(tid: number): { nice: number; policy: number } {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && tid !== process.pid) return { nice: 0, policy: 0 };
    throw e;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { nice: Number(f[19 - 3]), policy: Number(f[41 - 3]) }; // proc(5) fields 19 and 41
}
const tasks = () => readdirSync(`/proc/${process.pid}/task`).map(Number);

const tsxApi = import.meta.resolve('tsx/esm/api');
const moduleUrl = new URL('../../src/platform/background-thread.ts', import.meta.url).href;

describe('background thread priority', { skip: linux ? false : 'Linux only' }, () => {
  it('lowers a worker thread to nice 19 and SCHED_IDLE, and only that thread', async () => {
    const w = new Worker(`
      const { parentPort } = require('node:worker_threads');
      const tid = Number.parseInt(require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8'), 10);
      import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); })
        .then((bt) => parentPort.postMessage({ lowered: bt.lowerThreadPriority(), tid }));
    `, { eval: true });
    try {
      const m = await new Promise<{ lowered: boolean; tid: number }>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
      assert.equal(m.lowered, true);
      assert.deepEqual(scheduling(m.tid), { nice: 19, policy: SCHED_IDLE });
      assert.deepEqual(tasks().filter((tid) => tid !== m.tid && (scheduling(tid).nice !== 0 || scheduling(tid).policy !== 0)), []);
    } finally {
      await w.terminate();
    }
  });

  it('never lowers the process\'s main thread', () => {
    assert.equal(lowerThreadPriority(), false);
    assert.deepEqual(scheduling(process.pid), { nice: 0, policy: 0 });
  });
});

describe('the deliberation compute thread', { skip: linux ? false : 'Linux only' }, () => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  before(async () => ({ ctx, cleanup } = await createTestContext()));
  after(async () => {
    await stopComputeThread();
    await cleanup();
  });

  it('runs at nice 19 in SCHED_IDLE (the one lowered thread of the process)', async () => {
    assert.deepEqual(tasks().filter((tid) => scheduling(tid).nice === 19), []);
    const answer = await computeInThread({ target: dbTarget(ctx), deliberationId: 999_999, previous: { digest: null, maxGroups: null } });
    assert.deepEqual(answer, { kind: 'missing' });
    assert.deepEqual(tasks().map(scheduling).filter((s) => s.nice === 19), [{ nice: 19, policy: SCHED_IDLE }]);
    assert.deepEqual(scheduling(process.pid), { nice: 0, policy: 0 });
  });
});
