import { createHash } from 'node:crypto';

// Anonymous pages are the same for every visitor with the same language and mode, so
// they are rendered once and served from memory until something they show changes.
// Invalidation is coarse on purpose (any published change clears everything): the
// portal changes a few times a day and is read thousands of times an hour.

interface Entry { body: string; etag: string; expires: number; status: number }

export class PageCache {
  private entries = new Map<string, Entry>();
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
    const e = { body, status, etag: `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`, expires: Date.now() + this.ttlMs };
    this.entries.set(key, e);
    return e;
  }

  /** Clears this process's cache and tells other processes (through `onInvalidate` listeners). */
  invalidate(): void {
    this.clearLocal();
    for (const l of this.listeners) l();
  }

  clearLocal(): void {
    this.entries.clear();
  }

  onInvalidate(listener: () => void): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.entries.size;
  }
}
