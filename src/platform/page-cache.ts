import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

// Anonymous pages are the same for every visitor with the same language and mode, so
// they are rendered once and served from memory until something they show changes.
// Invalidation is coarse on purpose (any published change clears everything): the
// portal changes a few times a day and is read thousands of times an hour.

/** Stored encoded, and gzipped once, so serving a hit costs no encoding or compression. */
interface Entry { body: Buffer; gzip: Buffer | null; etag: string; expires: number; status: number }

export class PageCache {
  private entries = new Map<string, Entry>();
  private inflight = new Map<string, Promise<Entry>>();
  private memos = new Map<string, { value: Promise<unknown>; expires: number }>();
  /** Bumped by every invalidation, so a render that started before it is not stored after it. */
  private generation = 0;
  private listeners: Array<() => void> = [];
  constructor(private readonly ttlMs: number, private readonly maxEntries = 5000) {}

  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, body: string, status = 200): Entry {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const buf = Buffer.from(body);
    const e = {
      body: buf, gzip: buf.length > 1024 ? gzipSync(buf, { level: 6 }) : null, status,
      etag: `W/"${createHash('sha1').update(buf).digest('base64url').slice(0, 20)}"`, expires: Date.now() + this.ttlMs,
    };
    this.entries.set(key, e);
    return e;
  }

  /**
   * The cached entry, or one render shared by every concurrent request for the same key
   * (so an expired or invalidated page is rendered once, not once per waiting visitor).
   */
  getOrCreate(key: string, render: () => Promise<string>): Promise<Entry> {
    const hit = this.get(key);
    if (hit) return Promise.resolve(hit);
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const started = this.generation;
    const p = render()
      .then((body) => (started === this.generation ? this.set(key, body) : { body: Buffer.from(body), gzip: null, status: 200, etag: '', expires: 0 }))
      .finally(() => { if (this.inflight.get(key) === p) this.inflight.delete(key); });
    this.inflight.set(key, p);
    return p;
  }

  /**
   * Data that public pages are built from (search results, filter choices), kept with the
   * same lifetime and invalidation as the pages, so signed-in visitors — whose pages are
   * rendered fresh — do not repeat the same expensive query. Concurrent callers share one load.
   */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.memos.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    if (this.memos.size >= this.maxEntries) {
      const oldest = this.memos.keys().next().value;
      if (oldest !== undefined) this.memos.delete(oldest);
    }
    const value = load();
    const entry = { value, expires: now + this.ttlMs };
    this.memos.set(key, entry);
    // A failed load is not remembered.
    value.catch(() => { if (this.memos.get(key) === entry) this.memos.delete(key); });
    return value;
  }

  /** Clears this process's cache and tells other processes (through `onInvalidate` listeners). */
  invalidate(): void {
    this.clearLocal();
    for (const l of this.listeners) l();
  }

  clearLocal(): void {
    this.generation++;
    this.entries.clear();
    this.inflight.clear();
    this.memos.clear();
  }

  onInvalidate(listener: () => void): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.entries.size;
  }
}
