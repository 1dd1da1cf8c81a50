import type { Executor } from '../../db/database.js';
import { addWorkingDays, chinaDate, endOfChinaDay, isWorkingDay, nextWorkingDay, workingDaysBetween } from '../../platform/calendar/index.js';
import { enqueueNextRun, registerJobHandler, registerPeriodicJob } from '../../platform/jobs/registry.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { formatTrackingCode } from './model.js';
import { actionLink, handlerLink, notifyInbox, notifyPeople } from './notices.js';
import { notifyFollowers } from './handling.js';

// The clocks' consequences, swept every ten minutes: a reminder one working day before a
// deadline, an escalation to the supervising body once a deadline has passed by a working
// day, and the close of a reply nobody rated within ten working days. Each step happens
// once (the *_reminded_at / escalated_at columns), is on the timeline and notifies through
// the outbox, all in the job's transaction.

export const SLA_JOB = 'opinions.sla';
export const SLA_EVERY_MS = 10 * 60_000;
/** A reply not rated within this many working days is closed. */
export const RATING_WINDOW_DAYS = 10;

export interface SweepOptions {
  /** Rows per query. */
  batch?: number;
  /** Queries per step and sweep: what is left waits for the next sweep. */
  maxBatches?: number;
}

export interface SweepReport {
  reminded: number;
  escalated: number;
  closed: number;
  actionsReminded: number;
  actionsEscalated: number;
  /** An opinion in the public list changed (its timeline or status): public pages must be refreshed. */
  publicChanged: boolean;
}

const DAY_MS = 86_400_000;
const shiftDate = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The last working day on or before `date`. */
function workingDayOnOrBefore(date: string): string {
  let d = date;
  for (let i = 0; i < 60 && !isWorkingDay(d); i++) d = shiftDate(d, -1);
  return d;
}

export interface SlaDates {
  today: string;
  /** Deadlines from today up to this date get their reminder. */
  remindUpTo: string;
  /** Deadlines before this date are at least one working day late (and get escalated). */
  lateBefore: string;
  /** Replies given up to this moment have had their rating window pass. */
  closeRepliedUpTo: string;
}

/** What "soon", "late" and "unrated for too long" mean on a given moment (China calendar). */
export function slaDates(now: Date): SlaDates {
  const today = chinaDate(now);
  let r = today;
  for (let i = 0; i < 120 && addWorkingDays(r, RATING_WINDOW_DAYS) >= today; i++) r = shiftDate(r, -1);
  return { today, remindUpTo: nextWorkingDay(today), lateBefore: workingDayOnOrBefore(today), closeRepliedUpTo: endOfChinaDay(r) };
}

interface BodyInfo { id: number; parent_id: number | null; kind: string; name: string }

/** Bodies and the people who supervise from them, loaded once per sweep. */
class Supervision {
  private bodies = new Map<number, BodyInfo>();
  private staff = new Map<number, number[]>();
  constructor(private readonly db: Executor) {}

  async load(): Promise<void> {
    const bodies = await this.db.selectFrom('bodies').select(['id', 'parent_id', 'kind', 'name']).execute();
    this.bodies = new Map(bodies.map((b) => [b.id, b]));
    const rows = await this.db.selectFrom('memberships').select(['body_id', 'user_id'])
      .where('role', 'in', ['staff', 'council_facilitator', 'admin']).execute();
    this.staff = new Map();
    for (const r of rows) {
      const list = this.staff.get(r.body_id) ?? [];
      if (!list.includes(r.user_id)) list.push(r.user_id);
      this.staff.set(r.body_id, list);
    }
  }

  name(bodyId: number): string {
    return this.bodies.get(bodyId)?.name ?? '';
  }

  parent(bodyId: number): number | null {
    return this.bodies.get(bodyId)?.parent_id ?? null;
  }

  /** The nearest body from `bodyId` upwards with staff, and its staff (empty when none has). */
  staffFrom(bodyId: number | null): { bodyId: number | null; people: number[] } {
    const seen = new Set<number>();
    for (let b = bodyId; b !== null && !seen.has(b); b = this.parent(b)) {
      seen.add(b);
      const people = this.staff.get(b);
      if (people?.length) return { bodyId: b, people: people.slice(0, 50) };
    }
    return { bodyId, people: [] };
  }
}

async function batches<T>(opts: Required<SweepOptions>, fetch: (limit: number) => Promise<T[]>, each: (rows: T[]) => Promise<void>): Promise<void> {
  for (let round = 0; round < opts.maxBatches; round++) {
    const rows = await fetch(opts.batch);
    if (rows.length === 0) return;
    await each(rows);
    if (rows.length < opts.batch) return;
  }
}

async function displayNames(db: Executor, ids: (number | null)[]): Promise<Map<number, string>> {
  const want = [...new Set(ids.filter((x): x is number => x !== null))];
  if (want.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', want).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/**
 * One sweep of every clock at `now` (the job passes the current time; tests pass any).
 * Runs in the caller's transaction.
 */
export async function sweepSla(db: Executor, now: Date, options: SweepOptions = {}): Promise<SweepReport> {
  const opts: Required<SweepOptions> = { batch: options.batch ?? 200, maxBatches: options.maxBatches ?? 10 };
  const d = slaDates(now);
  const ts = now.toISOString();
  const report: SweepReport = { reminded: 0, escalated: 0, closed: 0, actionsReminded: 0, actionsEscalated: 0, publicChanged: false };
  const sup = new Supervision(db);
  await sup.load();
  const cols = ['id', 'title', 'tracking_code', 'status', 'handler_body_id', 'handler_user_id', 'accept_due', 'reply_due', 'citizen_id', 'public_visible'] as const;

  // 1. Reminders, one working day before the accept and reply deadlines.
  for (const clock of ['accept', 'reply'] as const) {
    const status = clock === 'accept' ? 'received' : 'accepted';
    const due = clock === 'accept' ? 'accept_due' : 'reply_due';
    await batches(opts, (limit) => db.selectFrom('opinions').select(cols)
      .where('status', '=', status).where(due, '>=', d.today).where(due, '<=', d.remindUpTo).where(clock === 'accept' ? 'accept_reminded_at' : 'reply_reminded_at', 'is', null)
      .orderBy(due).orderBy('id').limit(limit).execute(),
    async (rows) => {
      await db.updateTable('opinions').set(clock === 'accept' ? { accept_reminded_at: ts } : { reply_reminded_at: ts }).where('id', 'in', rows.map((r) => r.id)).execute();
      for (const op of rows) {
        const dueOn = op[due];
        await appendEvent(db, { streamType: 'opinion', streamId: op.id, action: 'reminded', actorId: null, data: { deadline: clock, dueOn } });
        await notifyInbox(db, op.handler_body_id, op.handler_user_id, op.id, (t) => t.opinions.nReminderTitle, (t) => t.opinions.nReminderBody(op.title, dueOn));
        if (op.public_visible === 1) report.publicChanged = true;
        report.reminded++;
      }
    });
  }

  // 2. Escalation to the supervising body once a deadline is a working day late: the
  //    handling body's parent, or for an opinion a member holds, the staff of the member's body.
  for (const clock of ['accept', 'reply'] as const) {
    const status = clock === 'accept' ? 'received' : 'accepted';
    const due = clock === 'accept' ? 'accept_due' : 'reply_due';
    await batches(opts, (limit) => {
      let q = db.selectFrom('opinions').select(cols).where('status', '=', status).where(due, '<', d.lateBefore);
      // One escalation per deadline: the reply clock's escalation is one made after acceptance.
      q = clock === 'accept'
        ? q.where('escalated_at', 'is', null)
        : q.where((eb) => eb.or([eb('escalated_at', 'is', null), eb('escalated_at', '<', eb.ref('accepted_at'))]));
      return q.orderBy(due).orderBy('id').limit(limit).execute();
    }, async (rows) => {
      await db.updateTable('opinions').set({ escalated_at: ts }).where('id', 'in', rows.map((r) => r.id)).execute();
      const names = await displayNames(db, rows.map((r) => r.handler_user_id));
      for (const op of rows) {
        const dueOn = op[due];
        const from = op.handler_user_id !== null ? op.handler_body_id : sup.parent(op.handler_body_id) ?? op.handler_body_id;
        const to = sup.staffFrom(from);
        const daysLate = workingDaysBetween(dueOn, d.today);
        const who = (op.handler_user_id !== null ? names.get(op.handler_user_id) : undefined) ?? sup.name(op.handler_body_id);
        await appendEvent(db, { streamType: 'opinion', streamId: op.id, action: 'escalated', actorId: null, data: { deadline: clock, dueOn, daysLate, toBodyId: to.bodyId } });
        await notifyPeople(db, to.people, handlerLink(op.id), (t) => t.opinions.nEscalatedTitle, (t) => t.opinions.nEscalatedBody(op.title, who, dueOn));
        if (op.public_visible === 1) report.publicChanged = true;
        report.escalated++;
      }
    });
  }

  // 3. Action items (a department's answer): reminded, then escalated to the body that assigned it.
  const itemCols = ['id', 'title', 'source_type', 'source_id', 'owner_body_id', 'assigned_by', 'assigned_by_body_id', 'due_on'] as const;
  await batches(opts, (limit) => db.selectFrom('action_items').select(itemCols)
    .where('status', '=', 'open').where('due_on', '>=', d.today).where('due_on', '<=', d.remindUpTo).where('reminded_at', 'is', null)
    .orderBy('due_on').orderBy('id').limit(limit).execute(),
  async (rows) => {
    await db.updateTable('action_items').set({ reminded_at: ts }).where('id', 'in', rows.map((r) => r.id)).execute();
    if (await anyPublic(db, rows)) report.publicChanged = true;
    const people = await departmentPeople(db, rows.map((r) => r.owner_body_id));
    for (const item of rows) {
      await appendEvent(db, { streamType: 'action_item', streamId: item.id, action: 'reminded', actorId: null, data: { dueOn: item.due_on } });
      if (item.source_type === 'opinion') {
        await appendEvent(db, { streamType: 'opinion', streamId: item.source_id, action: 'reminded', actorId: null, data: { deadline: 'action', actionItemId: item.id, departmentId: item.owner_body_id, dueOn: item.due_on } });
      }
      await notifyPeople(db, people.get(item.owner_body_id) ?? [], actionLink(item.id), (t) => t.opinions.nReminderTitle, (t) => t.opinions.nReminderBody(item.title, item.due_on), ['site', 'sms']);
      report.actionsReminded++;
    }
  });
  await batches(opts, (limit) => db.selectFrom('action_items').select(itemCols)
    .where('status', '=', 'open').where('due_on', '<', d.lateBefore).where('escalated_at', 'is', null)
    .orderBy('due_on').orderBy('id').limit(limit).execute(),
  async (rows) => {
    await db.updateTable('action_items').set({ escalated_at: ts }).where('id', 'in', rows.map((r) => r.id)).execute();
    if (await anyPublic(db, rows)) report.publicChanged = true;
    for (const item of rows) {
      const to = sup.staffFrom(item.assigned_by_body_id ?? sup.parent(item.owner_body_id));
      const people = new Set(to.people);
      if (item.assigned_by !== null) people.add(item.assigned_by);
      const daysLate = workingDaysBetween(item.due_on, d.today);
      const data = { deadline: 'action', actionItemId: item.id, departmentId: item.owner_body_id, dueOn: item.due_on, daysLate, toBodyId: to.bodyId };
      await appendEvent(db, { streamType: 'action_item', streamId: item.id, action: 'escalated', actorId: null, data });
      const link = item.source_type === 'opinion' ? handlerLink(item.source_id) : actionLink(item.id);
      if (item.source_type === 'opinion') await appendEvent(db, { streamType: 'opinion', streamId: item.source_id, action: 'escalated', actorId: null, data });
      await notifyPeople(db, [...people], link, (t) => t.opinions.nEscalatedTitle, (t) => t.opinions.nEscalatedBody(item.title, sup.name(item.owner_body_id), item.due_on));
      report.actionsEscalated++;
    }
  });

  // 4. A reply not rated within the rating window: closed (the citizen may no longer rate it).
  await batches(opts, (limit) => db.selectFrom('opinions').select(cols)
    .where('status', '=', 'replied').where('replied_at', '<=', d.closeRepliedUpTo)
    .orderBy('replied_at').orderBy('id').limit(limit).execute(),
  async (rows) => {
    await db.updateTable('opinions').set({ status: 'closed', closed_at: ts, updated_at: ts }).where('id', 'in', rows.map((r) => r.id)).execute();
    for (const op of rows) {
      await appendEvent(db, { streamType: 'opinion', streamId: op.id, action: 'closed', actorId: null, data: { auto: true } });
      const code = formatTrackingCode(op.tracking_code);
      await notifyFollowers(db, op, (t) => t.opinions.nChangedTitle(code), (t) => t.opinions.nClosed);
      if (op.public_visible === 1) report.publicChanged = true;
      report.closed++;
    }
  });
  return report;
}

/** Whether any of these items comes from an opinion in the public list (its page shows the timeline). */
async function anyPublic(db: Executor, items: { source_type: string; source_id: number }[]): Promise<boolean> {
  const ids = items.filter((i) => i.source_type === 'opinion').map((i) => i.source_id);
  if (ids.length === 0) return false;
  return Boolean(await db.selectFrom('opinions').select('id').where('id', 'in', ids).where('public_visible', '=', 1).limit(1).executeTakeFirst());
}

/** A department's handlers, for several departments in one query. */
async function departmentPeople(db: Executor, bodyIds: number[]): Promise<Map<number, number[]>> {
  const ids = [...new Set(bodyIds)];
  const rows = ids.length
    ? await db.selectFrom('memberships').select(['body_id', 'user_id']).distinct()
      .where('body_id', 'in', ids).where('role', '=', 'department_handler').execute()
    : [];
  const out = new Map<number, number[]>();
  for (const r of rows) out.set(r.body_id, [...(out.get(r.body_id) ?? []), r.user_id]);
  return out;
}

registerPeriodicJob(SLA_JOB, SLA_EVERY_MS);
registerJobHandler(SLA_JOB, async (ctx, _payload, trx, job) => {
  const now = new Date();
  const r = await sweepSla(trx, now);
  if (r.reminded + r.escalated + r.closed + r.actionsReminded + r.actionsEscalated > 0) job.log.info({ ...r }, 'opinion clocks swept');
  await enqueueNextRun(trx, SLA_JOB, SLA_EVERY_MS, now);
  // Earlier runs are of no further interest.
  await trx.deleteFrom('jobs').where('status', '=', 'done').where('run_at', '<', new Date(now.getTime() - DAY_MS).toISOString())
    .where('kind', '=', SLA_JOB).execute();
  if (r.publicChanged) job.afterCommit(() => ctx.pageCache.invalidate());
});
