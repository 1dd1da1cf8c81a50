// A bounded map whose entries expire: the least recently used is dropped when full.
// One per database handle where the values come from a database (`perHandle`), so two
// databases in one process (tests) never share entries.

export class TtlLru<V> {
  private entries = new Map<string, { value: V; expires: number }>();
  constructor(private readonly max: number, private readonly ttlMs: number) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (e.expires <= Date.now()) return undefined;
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }

  delete(key: string, ifValue?: V): void {
    if (ifValue === undefined || this.entries.get(key)?.value === ifValue) this.entries.delete(key);
  }
}

/** One TtlLru per owner object (a database handle), made on first use. */
export function perHandle<V>(max: number, ttlMs: number): (owner: object) => TtlLru<V> {
  const stores = new WeakMap<object, TtlLru<V>>();
  return (owner) => {
    let s = stores.get(owner);
    if (!s) stores.set(owner, (s = new TtlLru<V>(max, ttlMs)));
    return s;
  };
}
