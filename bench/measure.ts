import { type ChildProcess, spawn } from 'node:child_process';
import autocannon from 'autocannon';

export interface Measured { rps: number; p50_ms: number; p99_ms: number; non2xx: number; errors: number }

/** Starts `script` in a child Node process (tsx loader) and resolves once it prints "ready". */
export function startChild(script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}`));
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** Warms up, then measures `seconds` at `connections` concurrent connections. */
export async function measure(url: string, headers: Record<string, string>, o: { connections: number; seconds: number; warmup: number }): Promise<Measured> {
  await autocannon({ url, headers, connections: o.connections, duration: o.warmup });
  const r = await autocannon({ url, headers, connections: o.connections, duration: o.seconds });
  return { rps: Math.round(r.requests.average), p50_ms: r.latency.p50, p99_ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}
