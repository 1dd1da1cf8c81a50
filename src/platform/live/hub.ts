import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AppContext } from '../../context.js';

// A small pub/sub hub for live pages. Publishing fans out at once to this process's
// subscribers and, on PostgreSQL, NOTIFYs a channel that every process LISTENs on (one
// dedicated connection per process, opened when the first subscriber arrives), so an
// update made on one app node reaches clients connected to another. On SQLite the app is
// a single process and fan-out is in-process only.
//
// Events carry an id (the caller's: the live question session uses audit-event ids, which
// are gap-free and increasing, so clients resume with Last-Event-ID from the record).

export const LIVE_CHANNEL = 'xs_live';
/** NOTIFY payloads must stay under 8,000 bytes; larger events travel as a 'reload' hint. */
const MAX_NOTIFY_BYTES = 7_800;

export interface LiveEvent { id: number; event: string; data: string }
export type LiveListener = (e: LiveEvent) => void;

export interface LiveLogger { warn(obj: unknown, msg?: string): void }

export class LiveHub {
  private topics = new Map<string, Set<LiveListener>>();
  private readonly self = randomBytes(6).toString('hex');
  private client: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Events received from other processes (for tests and the bench). */
  remoteCount = 0;

  constructor(private readonly ctx: AppContext, private readonly log: LiveLogger = { warn() {} }) {}

  private get crossProcess(): boolean {
    return this.ctx.database.dialect === 'postgres' && Boolean(this.ctx.config.databaseUrl);
  }
  private get schema(): string { return this.ctx.config.pgSchema ?? 'public'; }

  /** Subscribes to a topic; on PostgreSQL the returned promise resolves once this process listens. */
  async subscribe(topic: string, listener: LiveListener): Promise<() => void> {
    let set = this.topics.get(topic);
    if (!set) this.topics.set(topic, (set = new Set()));
    set.add(listener);
    const unsubscribe = () => {
      const s = this.topics.get(topic);
      if (!s) return;
      s.delete(listener);
      if (s.size === 0) this.topics.delete(topic);
    };
    if (this.crossProcess) {
      try { await this.listen(); } catch (err) { unsubscribe(); throw err; }
    }
    return unsubscribe;
  }

  subscriberCount(topic?: string): number {
    if (topic !== undefined) return this.topics.get(topic)?.size ?? 0;
    let n = 0;
    for (const s of this.topics.values()) n += s.size;
    return n;
  }

  /** Delivers to this process's subscribers only. */
  publishLocal(topic: string, e: LiveEvent): void {
    const set = this.topics.get(topic);
    if (!set) return;
    for (const l of [...set]) {
      try { l(e); } catch (err) { this.log.warn({ err }, 'live subscriber failed'); }
    }
  }

  /** Delivers here and (PostgreSQL) to every other process. Call after the change committed. */
  async publish(topic: string, e: LiveEvent): Promise<void> {
    this.publishLocal(topic, e);
    if (!this.crossProcess || !this.ctx.database.pool || this.stopped) return;
    let payload = JSON.stringify({ s: this.schema, f: this.self, t: topic, ...e });
    if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) payload = JSON.stringify({ s: this.schema, f: this.self, t: topic, id: e.id, event: 'reload', data: '{}' });
    try {
      await this.ctx.database.pool.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, payload]);
    } catch (err) {
      this.log.warn({ err }, 'could not signal a live event to other processes');
    }
  }

  private listen(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.listening ??= this.connect().catch((err: unknown) => { this.listening = null; throw err; });
    return this.listening;
  }

  private async connect(): Promise<void> {
    const c = new pg.Client({ connectionString: this.ctx.config.databaseUrl });
    c.on('error', (err) => {
      this.log.warn({ err }, 'live listener lost its connection');
      void c.end().catch(() => {});
      if (this.client === c) { this.client = null; this.listening = null; }
      if (!this.stopped && this.topics.size) this.retry = setTimeout(() => void this.listen().catch(() => {}), 1000);
    });
    c.on('notification', (msg) => {
      if (msg.channel !== LIVE_CHANNEL || !msg.payload) return;
      let m: { s?: unknown; f?: unknown; t?: unknown; id?: unknown; event?: unknown; data?: unknown };
      try { m = JSON.parse(msg.payload); } catch { return; }
      if (m.s !== this.schema || m.f === this.self || typeof m.t !== 'string' || typeof m.id !== 'number' || typeof m.event !== 'string' || typeof m.data !== 'string') return;
      this.remoteCount++;
      this.publishLocal(m.t, { id: m.id, event: m.event, data: m.data });
    });
    await c.connect();
    if (this.stopped) { await c.end().catch(() => {}); return; }
    await c.query(`LISTEN ${LIVE_CHANNEL}`);
    this.client = c;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.listening?.catch(() => {});
    await this.client?.end().catch(() => {});
    this.client = null;
    this.topics.clear();
  }
}

const hubs = new WeakMap<AppContext, LiveHub>();

/** The hub of this app context (one per process in production; one per test app). */
export function liveHub(ctx: AppContext, log?: LiveLogger): LiveHub {
  let h = hubs.get(ctx);
  if (!h) hubs.set(ctx, (h = new LiveHub(ctx, log)));
  return h;
}
