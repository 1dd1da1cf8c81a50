import { request } from 'node:http';
import type { AppContext } from '../../src/context.js';

/** A public consultation in its meeting stage with one attending department and one confirmed registrant. */
export async function makeLiveConsultation(ctx: AppContext, o: { lead: number; department: number; registrant: number; isPublic?: boolean }): Promise<number> {
  const now = new Date().toISOString();
  const db = ctx.database.db;
  const c = await db.insertInto('consultations').values({
    title: '城区停车现场协商', summary: '请你来协商', form: 'thematic', mode: 'hybrid', track: 'standard', stage: 'meeting',
    lead_body_id: o.lead, plan_item_id: null, topic_id: null, year: 2026, starts_at: now, ends_at: null, place: null, online_url: null,
    agenda: '', is_public: o.isPublic === false ? 0 : 1, registration_open: 1, capacity: 10, seats_taken: 1, sort_at: now, stage_changed_at: now,
    created_by: null, created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('consultation_bodies').values({ consultation_id: c.id, body_id: o.lead, role: 'lead' }).execute();
  await db.insertInto('consultation_participants').values({ consultation_id: c.id, kind: 'department', user_id: null, body_id: o.department, name: '交通局', title: null, attended_at: null, created_at: now }).execute();
  await db.insertInto('consultation_registrations').values({
    consultation_id: c.id, user_id: o.registrant, status: 'confirmed', note: null, queued_at: now, confirmed_at: now, cancelled_at: null,
    checkin_code: '123456', checked_in_at: null, created_at: now, updated_at: now,
  }).execute();
  return c.id;
}

export interface SseEvent { id: number; event: string; data: any }

/** A reading SSE client on a real socket: collects events; `waitFor` resolves when a predicate holds. */
export function sseClient(port: number, path: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  let buf = '';
  let status = 0;
  let resHeaders: Record<string, unknown> = {};
  let ended = false;
  const waiters: Array<() => void> = [];
  const poke = () => { for (const w of waiters.splice(0)) w(); };
  const req = request({ port, path, host: '127.0.0.1', headers: { accept: 'text/event-stream', ...headers } });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      resHeaders = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let id = 0; let event = 'message'; const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = Number(line.slice(4));
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) events.push({ id, event, data: JSON.parse(data.join('\n')) });
        }
        poke();
      });
      res.on('end', () => { ended = true; poke(); });
      res.on('error', () => { ended = true; poke(); });
      resolve();
    });
    req.on('error', (err) => { ended = true; poke(); reject(err); });
  });
  req.end();
  return {
    events, opened,
    get status() { return status; }, get headers() { return resHeaders; }, get ended() { return ended; },
    waitFor(pred: () => boolean, ms = 10_000): Promise<void> {
      return new Promise((resolve, reject) => {
        // Re-checked on every chunk received and every 20 ms (for conditions on the server's side).
        const poll = setInterval(() => { if (pred()) done(); }, 20);
        const timer = setTimeout(() => { clearInterval(poll); reject(new Error(`timed out; events: ${JSON.stringify(events).slice(0, 500)}`)); }, ms);
        let finished = false;
        const done = () => { if (finished) return; finished = true; clearTimeout(timer); clearInterval(poll); resolve(); };
        const check = () => { if (finished) return; if (pred()) done(); else waiters.push(check); };
        check();
      });
    },
    close() { req.destroy(); },
  };
}
