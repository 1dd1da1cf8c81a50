import { isWorkingDay, nextWorkingDay, workingDaysBetween } from '../../platform/calendar/index.js';
import type { DemoOpinion } from '../opinions/analysis/demo-corpus.js';
import { CODE_ALPHABET, CODE_LENGTH } from '../opinions/model.js';
import type { Rng } from './prng.js';
import type { Structure } from './seed-structure.js';

// One demo opinion's simulated life (a Plan) with its entries, action items and events,
// and the clocks' reminders and escalations along it.

export const DAY = 86_400_000;
export const MINUTE = 60_000;

export interface Entry { key: number; owner: number; kind: 'addition' | 'question' | 'reply' | 'decline_reason' | 'note'; body: string; authorId: Actor; authorBodyId: number | null; at: number }
export type Actor = number | null | { $ref: 'citizen'; key: number };
export interface Ev { at: number; streamType: 'opinion' | 'action_item'; stream: number; action: string; actorId: Actor; data: Record<string, unknown> }
export interface Item { key: number; plan: Plan; dept: number; user: number; dueOn: string; createdAt: number; status: 'open' | 'answered' | 'done'; answer: string | null; answeredAt: number | null; doneAt: number | null; answeredBy: number | null; remindedAt: number | null; escalatedAt: number | null; updates: { kind: 'progress' | 'answer' | 'done'; body: string; at: number }[] }

/** References resolved after the bulk inserts: an entry, an action item, an opinion. */
export const ref = (kind: 'entry' | 'item' | 'op', key: number) => ({ $ref: kind, key });

export interface Plan {
  i: number;
  d: DemoOpinion;
  code: string;
  created: number;
  citizenIdx: number;
  regionId: number;
  township: number;
  targetType: 'body' | 'member' | 'route';
  targetBodyId: number | null;
  targetUserId: number | null;
  handlerBodyId: number;
  handlerUserId: number | null;
  suggestedBodyId: number | null;
  routed: boolean;
  acceptDue: string;
  replyDue: string;
  status: 'received' | 'accepted' | 'declined' | 'replied' | 'closed' | 'withdrawn' | 'merged';
  publicConsent: boolean;
  publicVisible: boolean;
  acceptedAt: number | null; declinedAt: number | null; firstRepliedAt: number | null; repliedAt: number | null; closedAt: number | null; withdrawnAt: number | null;
  reopenCount: number;
  mergedInto: number | null;
  replyText: string | null;
  rating: { handling: number; result: number } | null;
  acceptRemindedAt: number | null; replyRemindedAt: number | null; escalatedAt: number | null;
  updatedAt: number;
  events: Ev[];
}

/** A moment on a China calendar day, hour:minute China time. */
export const onDay = (date: string, hour: number, minute: number): number => Date.parse(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);

export function lastWorkingDayBefore(date: string): string {
  let ms = Date.parse(`${date}T00:00:00Z`) - DAY;
  for (let i = 0; i < 60 && !isWorkingDay(new Date(ms).toISOString().slice(0, 10)); i++) ms -= DAY;
  return new Date(ms).toISOString().slice(0, 10);
}

export function trackingCode(rng: Rng, used: Set<string>): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[Math.floor(rng.next() * CODE_ALPHABET.length)];
    if (!used.has(s)) { used.add(s); return s; }
  }
}

export function track(byTopic: Map<string, Plan[]>, p: Plan): void {
  const list = byTopic.get(p.d.topicKey) ?? [];
  list.push(p);
  if (list.length > 30) list.shift();
  byTopic.set(p.d.topicKey, list);
}

/**
 * The reminder and escalation an SLA sweep would have made for a clock due on `due` that
 * was met at `doneAt` (Infinity: not yet): the reminder on the last working day before the
 * deadline, the escalation on the first working day after it.
 */
export function clock(p: Plan, kind: 'accept' | 'reply', due: string, doneAt: number, now: number, s: Structure, rng: Rng): void {
  const remindAt = Math.max(onDay(lastWorkingDayBefore(due), 0, 10 + rng.int(0, 9)), p.created + 10 * MINUTE);
  if (doneAt > remindAt && remindAt <= now && (kind === 'accept' ? p.acceptRemindedAt : p.replyRemindedAt) === null) {
    if (kind === 'accept') p.acceptRemindedAt = remindAt; else p.replyRemindedAt = remindAt;
    p.events.push({ at: remindAt, streamType: 'opinion', stream: p.i, action: 'reminded', actorId: null, data: { deadline: kind, dueOn: due } });
  }
  const escalateDay = nextWorkingDay(due);
  const escalateAt = onDay(escalateDay, 0, 10 + rng.int(0, 9));
  if (doneAt > escalateAt && escalateAt <= now) {
    p.escalatedAt = escalateAt;
    // The demo's staff sit in the committee: every escalation reaches them (as the sweep's walk up the bodies would).
    const toBodyId = s.committeeId;
    p.events.push({ at: escalateAt, streamType: 'opinion', stream: p.i, action: 'escalated', actorId: null, data: { deadline: kind, dueOn: due, daysLate: workingDaysBetween(due, escalateDay), toBodyId } });
  }
}

/** The same for a department's action item (answered at `answerAt`). */
export function clockItem(item: Item, answerAt: number, now: number, s: Structure, rng: Rng, p: Plan): void {
  const remindAt = Math.max(onDay(lastWorkingDayBefore(item.dueOn), 0, 10 + rng.int(0, 9)), item.createdAt + 10 * MINUTE);
  if (answerAt > remindAt && remindAt <= now) {
    item.remindedAt = remindAt;
    p.events.push({ at: remindAt, streamType: 'action_item', stream: item.key, action: 'reminded', actorId: null, data: { dueOn: item.dueOn } });
    p.events.push({ at: remindAt, streamType: 'opinion', stream: p.i, action: 'reminded', actorId: null, data: { deadline: 'action', actionItemId: ref('item', item.key), departmentId: item.dept, dueOn: item.dueOn } });
  }
  const escalateDay = nextWorkingDay(item.dueOn);
  const escalateAt = onDay(escalateDay, 0, 10 + rng.int(0, 9));
  if (answerAt > escalateAt && escalateAt <= now) {
    item.escalatedAt = escalateAt;
    const data = { deadline: 'action', actionItemId: ref('item', item.key), departmentId: item.dept, dueOn: item.dueOn, daysLate: workingDaysBetween(item.dueOn, escalateDay), toBodyId: s.committeeId };
    p.events.push({ at: escalateAt, streamType: 'action_item', stream: item.key, action: 'escalated', actorId: null, data });
    p.events.push({ at: escalateAt, streamType: 'opinion', stream: p.i, action: 'escalated', actorId: null, data });
  }
}
