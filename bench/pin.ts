// Used by bench/deliberation-votes.ts.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * Gives the app's request thread (its main thread) core 0 to itself: the app's other threads
 * (the compute thread, the checkpointer, V8's helpers) and this process (the sender) go to core
 * 1. On this 2-core machine the sender otherwise competes with the app for the same cores, which
 * no real deployment does. Returns a function that gives this process both cores back; null
 * where it can't be done (not Linux, one core, no taskset).
 */
export function pinAppThread(appPid: number): (() => void) | null {
  if (process.platform !== 'linux' || cpus().length < 2) return null;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    for (const t of readdirSync(`/proc/${appPid}/task`)) execFileSync('taskset', ['-p', '-c', Number(t) === appPid ? '0' : '1', t], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return () => execFileSync('taskset', ['-a', '-p', '-c', `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
}
