/**
 * A queue drained in batches, one at a time: items pushed while a batch runs wait for the next
 * (at most `maxBatch` each), and items pushed in the same turn of the event loop share the first.
 * `runBatch` answers its items itself and must not throw. Used by the group commit and the bulk
 * writer (group-commit.ts, bulk-writer.ts).
 */
export function batchQueue<P>(maxBatch: number, runBatch: (batch: P[]) => Promise<void>): (item: P) => void {
  const queue: P[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      await new Promise<void>((r) => setImmediate(r));
      while (queue.length) await runBatch(queue.splice(0, maxBatch));
    } finally {
      running = false;
    }
  }

  return (item: P) => {
    queue.push(item);
    if (!running) void drain();
  };
}
