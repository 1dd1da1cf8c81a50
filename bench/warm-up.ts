// Used by bench/deliberation-votes.ts.

/**
 * One vote, then waits for the recomputation it asks for: a new app process's compute thread
 * reads every vote once (then holds them, vote-cache.ts) — a cost paid when a process starts and
 * every 10 minutes, reported here, not the steady state the measured window is about.
 */
export async function warmUp(url: string, id: number, statementId: number, token: string, lines: string[]): Promise<string> {
  const res = await fetch(`${url}/api/v1/deliberations/${id}/votes`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ statement_id: statementId, vote: 'agree' }),
  });
  if (!res.ok) throw new Error(`warm-up vote: ${res.status}`);
  const t = Date.now();
  for (;;) {
    const done = lines.find((l) => l.startsWith('recomputed '));
    if (done) {
      const r = JSON.parse(done.slice(11)) as { loadMs?: number; mathMs?: number; delta?: boolean };
      return `${Date.now() - t} ms (read ${r.loadMs} ms${r.delta ? ', log since' : ', every vote'}, math ${r.mathMs} ms)`;
    }
    if (Date.now() - t > 120_000) throw new Error('warm-up: no recomputation within 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

