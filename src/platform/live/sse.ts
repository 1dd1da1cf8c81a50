import type { ServerResponse } from 'node:http';
import type { LiveEvent, LiveHub } from './hub.js';

// Server-sent event connections: headers that keep proxies from buffering, a heartbeat
// comment so idle connections stay open, `id:` on every event and replay from the record
// after Last-Event-ID, caps on connections per address and overall, and a bound on what a
// connection may hold unsent: a client that stops reading is dropped once its buffer passes
// `maxBufferedBytes`, so it cannot make the server's memory grow.

export interface SseOptions {
  maxPerIp: number;
  maxTotal: number;
  /** Bytes queued in Node for one client (beyond what the kernel holds) before it is dropped. */
  maxBufferedBytes: number;
  heartbeatMs: number;
}

export const DEFAULT_SSE_OPTIONS: SseOptions = { maxPerIp: 20, maxTotal: 5_000, maxBufferedBytes: 256 * 1024, heartbeatMs: 15_000 };

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
} as const;

/** One SSE frame. Data lines are split so a newline in the data cannot end the event. */
export function frame(e: LiveEvent): string {
  const name = e.event.replace(/[\r\n]/g, '');
  return `id: ${e.id}\nevent: ${name}\n${e.data.split(/\r\n|\r|\n/).map((l) => `data: ${l}`).join('\n')}\n\n`;
}

/** Last-Event-ID as sent by EventSource (header) or a reconnecting client (?lastEventId=): digits only. */
export function parseLastEventId(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

export type RefuseReason = 'total' | 'ip' | 'closing';

interface Conn { res: ServerResponse; ip: string; close(): void }

export class SseServer {
  readonly options: SseOptions;
  private conns = new Set<Conn>();
  private perIp = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | null = null;
  private closing = false;
  /** Clients dropped for not reading (for tests, the bench and logs). */
  dropped = 0;

  constructor(private readonly hub: LiveHub, options: Partial<SseOptions> = {}) {
    this.options = { ...DEFAULT_SSE_OPTIONS, ...options };
  }

  get size(): number { return this.conns.size; }

  /** Whether a new connection from `ip` would be refused (checked before anything is written). */
  refusal(ip: string): RefuseReason | null {
    if (this.closing) return 'closing';
    if (this.conns.size >= this.options.maxTotal) return 'total';
    if ((this.perIp.get(ip) ?? 0) >= this.options.maxPerIp) return 'ip';
    return null;
  }

  /**
   * Streams `topic` to `res`: subscribes first, then sends what `replay` reads from the
   * record (events after Last-Event-ID), then whatever arrived meanwhile with a higher id,
   * so nothing between the two is lost or sent twice.
   */
  async open(res: ServerResponse, ip: string, topic: string, lastId: number | null, replay: (after: number) => Promise<LiveEvent[]>): Promise<void> {
    let closed = false;
    let maxSent = lastId ?? 0;
    let pending: LiveEvent[] | null = [];
    let unsubscribe: (() => void) | null = null;
    const conn: Conn = {
      res, ip,
      close: () => {
        if (closed) return;
        closed = true;
        this.conns.delete(conn);
        const n = (this.perIp.get(ip) ?? 1) - 1;
        if (n <= 0) this.perIp.delete(ip); else this.perIp.set(ip, n);
        unsubscribe?.();
        if (!res.writableEnded) res.end();
        if (this.conns.size === 0 && this.heartbeat) { clearInterval(this.heartbeat); this.heartbeat = null; }
      },
    };
    const write = (chunk: string): void => {
      if (closed) return;
      res.write(chunk);
      // Node keeps what the socket would not take; a client that does not read lets it grow.
      if (res.writableLength > this.options.maxBufferedBytes) {
        this.dropped++;
        conn.close();
        res.destroy();
      }
    };
    const send = (e: LiveEvent): void => {
      if (e.id <= maxSent && e.event !== 'reload') return;
      maxSent = Math.max(maxSent, e.id);
      write(frame(e));
    };

    this.conns.add(conn);
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    res.on('close', conn.close);
    res.on('error', conn.close);
    res.writeHead(200, SSE_HEADERS);
    // Tells EventSource how long to wait before reconnecting, and flushes the headers.
    res.write('retry: 3000\n\n');
    this.ensureHeartbeat();
    try {
      unsubscribe = await this.hub.subscribe(topic, (e) => (pending ? pending.push(e) : send(e)));
      if (closed) { unsubscribe(); return; }
      if (lastId !== null) for (const e of await replay(lastId)) send(e);
      const waiting = pending;
      pending = null;
      for (const e of waiting.sort((a, b) => a.id - b.id)) send(e);
    } catch {
      conn.close();
    }
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const c of [...this.conns]) {
        c.res.write(': keep-alive\n\n');
        if (c.res.writableLength > this.options.maxBufferedBytes) { this.dropped++; c.close(); c.res.destroy(); }
      }
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Ends every stream (server shutdown) and refuses new ones. */
  closeAll(): void {
    this.closing = true;
    for (const c of [...this.conns]) c.close();
    if (this.heartbeat) { clearInterval(this.heartbeat); this.heartbeat = null; }
  }
}
