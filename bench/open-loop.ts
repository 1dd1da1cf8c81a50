// Used by bench/deliberation-votes.ts.
import { Agent, request } from 'node:http';
import { createPrng } from '../src/modules/deliberation/engine/index.js';

export interface OpenLoopResult {
  rps: number; total: number; p50_ms: number; p90_ms: number; p99_ms: number; max_ms: number; non2xx: number; errors: number;
  sender_late_ms: { p50: number; p99: number };
}

/** A random vote's request body and bearer token, as both senders (this and autocannon's) send them. */
export function randomVote(rand: () => number, statementIds: number[], tokens: string[]): { body: string; authorization: string } {
  return {
    body: JSON.stringify({ statement_id: statementIds[Math.floor(rand() * statementIds.length)], vote: (['agree', 'disagree', 'pass'] as const)[Math.floor(rand() * 3)] }),
    authorization: `Bearer ${tokens[Math.floor(rand() * tokens.length)]}`,
  };
}

/**
 * Open loop: votes sent at evenly spaced times (`rate` per second) over up to 50 kept-alive
 * connections, whatever the answers do; each latency counts from the vote's scheduled time
 * (so a slow answer also delays the votes behind it, no coordinated omission). This is how
 * voters arrive: each on their own, not waiting for the others. `path` is the vote route of the
 * app, or the bare server's (bench/baseline.ts) for the machine's floor under the same sender.
 */
export async function openLoop(url: string, path: string, statementIds: number[], tokens: string[], seconds: number, rate: number, beforeMeasure?: () => void): Promise<OpenLoopResult> {
  const rand = createPrng(7);
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  const target = new URL(`${url}${path}`);
  const send = (): Promise<number> => new Promise((resolve) => {
    const { body, authorization } = randomVote(rand, statementIds, tokens);
    const req = request({
      agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', () => resolve(0));
    req.end(body);
  });
  const run = async (secs: number): Promise<OpenLoopResult> => {
    const n = Math.round(rate * secs);
    const lat: number[] = [];
    let non2xx = 0;
    const started = performance.now();
    const pending: Promise<void>[] = [];
    // Sent by timer at (or just after) each vote's time, never by spinning: a spinning sender
    // takes a core from the app it measures (2 cores here). How late the sender itself was is
    // reported (`sender_late_ms`): it is part of every latency below, which counts from the time
    // a vote was due, not from when it was sent.
    const late: number[] = [];
    for (let i = 0; i < n; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      late.push(Math.max(0, performance.now() - due));
      pending.push(send().then((status) => { lat.push(performance.now() - due); if (status < 200 || status > 299) non2xx++; }));
    }
    await Promise.all(pending);
    lat.sort((a, b) => a - b);
    late.sort((a, b) => a - b);
    const senderLate = { p50: Number((late[Math.floor(late.length / 2)] ?? 0).toFixed(1)), p99: Number((late[Math.floor(late.length * 0.99)] ?? 0).toFixed(1)) };
    const q = (p: number) => Number((lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0).toFixed(1));
    return { rps: Math.round(n / ((performance.now() - started) / 1000)), total: n, p50_ms: q(0.5), p90_ms: q(0.9), p99_ms: q(0.99), max_ms: q(1), non2xx, errors: 0, sender_late_ms: senderLate };
  };
  await run(2);
  beforeMeasure?.();
  const r = await run(seconds);
  agent.destroy();
  return r;
}
