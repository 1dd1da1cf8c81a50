import { readFileSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

// Work that can wait (the deliberation math) runs in a worker thread. On a small machine that
// thread competes for the same cores as the thread answering requests, and the scheduler
// shares them equally: a vote then waits behind a slice of matrix algebra. Lowering the
// worker thread's own priority to the lowest ("nice 19") lets request handling take a core
// whenever it needs one, and the math uses what is left.
// On Linux every thread is a task with an id of its own, and setpriority() on that id changes
// that thread only; elsewhere (or if the id can't be read) this does nothing.

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

/** Lowers the calling thread's scheduling priority to the lowest; true when it was lowered. */
export function lowerThreadPriority(): boolean {
  const tid = threadId();
  if (tid === null || tid === process.pid) return false; // never the process's main thread
  try {
    setPriority(tid, constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    return false;
  }
}
