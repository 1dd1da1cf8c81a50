import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

// Work that can wait (the deliberation math) runs in a worker thread. On a small machine that
// thread competes for the same cores as the thread answering requests, and the scheduler
// shares them equally: a vote then waits behind a slice of matrix algebra. Lowering the
// worker thread's own priority to the lowest ("nice 19") lets request handling take a core
// whenever it needs one, and the math uses what is left.
// On Linux every thread is a task with an id of its own, and setpriority() on that id changes
// that thread only; elsewhere (or if the id can't be read) this does nothing.
// Nice 19 still leaves the math a share, and the kernel's scheduler (EEVDF here) may let it
// finish its slice before a request thread that just woke up: so on Linux the thread is also put
// in the SCHED_IDLE class, which runs only on a core nothing else wants and is preempted at once
// when a normal thread wakes. Node has no call for that: util-linux's chrt sets it (on Debian it
// is always there); without it, nice 19 stays. Measured (the app and its worker under 500
// votes/s paced while recomputing, the compute thread switched by hand, 2 runs each): votes
// inside the app p99 8.2–12.0 ms at nice 19, 6.0–6.8 ms in SCHED_IDLE.

/** The kernel's id of the calling thread (Linux), or null. */
function threadId(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const tid = Number.parseInt(stat, 10);
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/**
 * Lowers the calling thread's scheduling priority to the lowest (nice 19, and SCHED_IDLE where
 * chrt can set it); true when it was lowered.
 */
export function lowerThreadPriority(): boolean {
  const tid = threadId();
  if (tid === null || tid === process.pid) return false; // never the process's main thread
  try {
    setPriority(tid, constants.priority.PRIORITY_LOW);
  } catch {
    return false;
  }
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // No chrt (or not Linux): nice 19 only.
  }
  return true;
}
