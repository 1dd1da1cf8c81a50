// Live updates: N concurrent SSE connections to one app process, then a series of updates;
// for each update, the time until every client has received it (max) and the p99 over all
// deliveries. Clients are raw TCP sockets in this process (so their reading shares the
// CPU with the server: the numbers are pessimistic). Run: npx tsx bench/live-sse.ts
// Options: LIVE_CLIENTS (2000), LIVE_UPDATES (20), LIVE_INTERVAL_MS (250). Prints a JSON summary on its last line.
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { liveSseOf } from '../src/modules/consultations/live-routes.js';
import { liveTopic } from '../src/modules/consultations/live-service.js';
import { liveHub } from '../src/platform/live/hub.js';
import { createTestApp } from '../test/helpers/app.js';
import { makeLiveConsultation } from '../test/consultations/live-helpers.js';
import { makeConsultationWorld } from '../test/consultations/world.js';

const CLIENTS = Number(process.env.LIVE_CLIENTS ?? 2000);
const UPDATES = Number(process.env.LIVE_UPDATES ?? 20);
const INTERVAL = Number(process.env.LIVE_INTERVAL_MS ?? 250);

const t = await createTestApp();
const w = await makeConsultationWorld(t.ctx);
const id = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
const sse = liveSseOf(t.app);
if (!sse) throw new Error('live routes not registered');
sse.options.maxPerIp = CLIENTS + 10;
sse.options.maxTotal = CLIENTS + 10;
await t.app.listen({ port: 0, host: '127.0.0.1' });
const port = (t.app.server.address() as AddressInfo).port;

const received = new Map<number, number[]>(); // update number -> receive times
const sent = new Map<number, number>();
const sockets: Socket[] = [];
const openStart = performance.now();
for (let i = 0; i < CLIENTS; i++) {
  const s = connect(port, '127.0.0.1');
  s.setEncoding('latin1');
  let tail = '';
  let last = 0; // the tail overlaps the previous chunk: count each update once per socket
  s.on('data', (chunk: string) => {
    const now = performance.now();
    const text = tail + chunk;
    for (const m of text.matchAll(/\nevent: bench\ndata: \{"n":(\d+)\}/g)) {
      const n = Number(m[1]);
      if (n <= last) continue;
      last = n;
      let arr = received.get(n);
      if (!arr) received.set(n, (arr = []));
      arr.push(now);
    }
    tail = text.slice(-40);
  });
  s.on('error', () => {});
  s.write(`GET /consultations/${id}/live/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`);
  sockets.push(s);
  if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5));
}
const hub = liveHub(t.ctx);
const deadline = Date.now() + 180_000;
while (hub.subscriberCount(liveTopic(id)) < CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const connected = hub.subscriberCount(liveTopic(id));
console.log(`connected ${connected}/${CLIENTS} streams in ${Math.round(performance.now() - openStart)} ms; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

for (let n = 1; n <= UPDATES; n++) {
  sent.set(n, performance.now());
  await hub.publish(liveTopic(id), { id: 10_000_000 + n, event: 'bench', data: JSON.stringify({ n }) });
  await new Promise((r) => setTimeout(r, INTERVAL));
}
const end = Date.now() + 10_000;
while ((received.get(UPDATES)?.length ?? 0) < connected && Date.now() < end) await new Promise((r) => setTimeout(r, 50));

const all: number[] = [];
const perUpdateMax: number[] = [];
let incomplete = 0;
for (let n = 1; n <= UPDATES; n++) {
  const s = sent.get(n) as number;
  const lat = (received.get(n) ?? []).map((r) => r - s);
  if (lat.length < connected) incomplete++;
  all.push(...lat);
  perUpdateMax.push(Math.max(...lat));
}
all.sort((a, b) => a - b);
const pct = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))] ?? NaN;
console.log(`updates ${UPDATES} × clients ${connected}: deliveries ${all.length} (expected ${UPDATES * connected}); updates not reaching everyone: ${incomplete}`);
console.log(`latency p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${all[all.length - 1]?.toFixed(1)} ms; worst update fully delivered in ${Math.max(...perUpdateMax).toFixed(1)} ms; dropped slow clients ${sse.dropped}`);
console.log(`rss ${Math.round(process.memoryUsage().rss / 1048576)} MiB; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(JSON.stringify({
  bench: 'live-sse', clients: CLIENTS, connected, updates: UPDATES, interval_ms: INTERVAL, deliveries: all.length, expected: UPDATES * connected, incomplete_updates: incomplete,
  p50_ms: Number(pct(0.5).toFixed(1)), p99_ms: Number(pct(0.99).toFixed(1)), max_ms: Number((all[all.length - 1] ?? NaN).toFixed(1)),
  worst_update_ms: Number(Math.max(...perUpdateMax).toFixed(1)), dropped: sse.dropped, rss_mib: Math.round(process.memoryUsage().rss / 1048576), load_average: loadavg(),
}));
for (const s of sockets) s.destroy();
await t.close();
process.exit(0);
