import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transaction } from '../../src/db/database.js';
import { forwardOpinion } from '../../src/modules/opinions/handling.js';
import { SLA_EVERY_MS, SLA_JOB, slaDates, sweepSla } from '../../src/modules/opinions/sla.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { readStream } from '../../src/platform/timeline/audit.js';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { kickPeriodicJobs } from '../../src/platform/jobs/registry.js';
import { JobWorker } from '../../src/platform/jobs/worker.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// The clocks, on a fake "now" around the 2026 Mid-Autumn and National Day holidays:
// 2026-09-25..27 and 10-01..07 are holidays; Sunday 09-20 and Saturday 10-10 are make-up working days.

/** A moment of a China calendar day (10:00 China time). */
const at = (date: string, hour = 10) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);

describe('opinions: SLA sweeps (reminders, escalation, auto-close)', () => {
  let t: TestApp;
  let w: OpinionWorld;
  let facilitator: number;
  let n = 0;
  const db = () => t.ctx.database.db;
  before(async () => {
    t = await createTestApp();
    w = await makeOpinionWorld(t.ctx);
    facilitator = await makeUser(t.ctx, { name: '联络组联络员', roles: [{ bodyId: w.liaisonGroup, role: 'council_facilitator' }] });
  });
  after(() => t.close());

  const sweep = (now: Date) => transaction(t.ctx.database, (trx) => sweepSla(trx, now));
  /** Sends an opinion on `sentAt`, then sets any columns a scenario needs. */
  async function opinion(sentAt: Date, o: Record<string, unknown> = {}, patch: Record<string, unknown> = {}): Promise<number> {
    n++;
    const citizen = await userOf(t.ctx, w.citizen);
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, sampleOpinion(w, { title: `停车难问题${n}号`, ...o }), { now: new Date(sentAt.getTime() + n * 3_600_000 * 2) });
    if (Object.keys(patch).length) await db().updateTable('opinions').set(patch).where('id', '=', sent.id).execute();
    return sent.id;
  }
  const row = (id: number) => db().selectFrom('opinions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = async (id: number): Promise<Array<Record<string, unknown> & { action: string }>> => (await readStream(db(), 'opinion', id)).map((e) => ({ ...e.data, action: e.action }));
  const notes = (userId: number, link: string) => db().selectFrom('notifications').select(['title', 'body']).where('user_id', '=', userId).where('link', '=', link).execute();
  /** Puts every earlier scenario's opinions out of the clocks' reach. */
  const settle = () => db().updateTable('opinions').set({ status: 'closed' }).where('status', 'in', ['received', 'accepted', 'replied']).execute();

  it('computes the windows on the official calendar', () => {
    // Tuesday before the holiday: remind deadlines up to Wednesday.
    const tue = slaDates(at('2026-09-29'));
    assert.deepEqual([tue.today, tue.remindUpTo, tue.lateBefore], ['2026-09-29', '2026-09-30', '2026-09-29']);
    // Replies of 09-15 (ten working days before Tuesday 09-29 is 09-15) may still be rated; those of 09-14 not.
    assert.equal(tue.closeRepliedUpTo, '2026-09-14T15:59:59.999Z');
    // Wednesday 09-30: the next working day is Thursday 10-08, after the National Day holiday.
    assert.equal(slaDates(at('2026-09-30')).remindUpTo, '2026-10-08');
    // On a holiday, late means before the last working day (09-30).
    assert.equal(slaDates(at('2026-10-03')).lateBefore, '2026-09-30');
    // Friday 10-09: the make-up Saturday 10-10 is the next working day.
    assert.equal(slaDates(at('2026-10-09')).remindUpTo, '2026-10-10');
    assert.equal(slaDates(at('2026-10-11')).lateBefore, '2026-10-10');
  });

  it('reminds once a working day before the accept deadline, and escalates to the supervising body once, after the holiday', async () => {
    // Sent Monday 09-28: accept within 2 working days → 09-30; reply within 15 → 10-23 (holiday skipped, 10-10 counted).
    const id = await opinion(at('2026-09-28', 8), { target: 'body', targetBodyId: String(w.liaisonGroup), targetMemberId: '' });
    let op = await row(id);
    assert.equal(op.accept_due, '2026-09-30');
    assert.equal(op.reply_due, '2026-10-23');

    await sweep(at('2026-09-28', 18));
    assert.equal((await row(id)).accept_reminded_at, null, 'two working days ahead: no reminder yet');
    const r1 = await sweep(at('2026-09-29'));
    assert.equal(r1.reminded, 1);
    op = await row(id);
    assert.ok(op.accept_reminded_at);
    assert.equal((await notes(facilitator, `/handle/opinions/${id}`)).filter((x) => x.title === '办理期限临近').length, 1, 'the liaison group is reminded');
    assert.equal((await sweep(at('2026-09-29', 15))).reminded, 0, 'once');

    // The holiday: nothing is late until a working day has passed since the deadline.
    for (const day of ['2026-10-01', '2026-10-04', '2026-10-07']) assert.equal((await sweep(at(day))).escalated, 0, day);
    assert.equal((await row(id)).escalated_at, null);
    const r2 = await sweep(at('2026-10-08'));
    assert.equal(r2.escalated, 1);
    const ev = (await events(id)).filter((e) => e.action === 'escalated');
    assert.deepEqual(ev, [{ action: 'escalated', deadline: 'accept', dueOn: '2026-09-30', daysLate: 1, toBodyId: w.committee }]);
    // The committee (the liaison group's parent) hears of it, not the liaison group itself.
    assert.equal((await notes(w.staff, `/handle/opinions/${id}`)).filter((x) => x.title === '逾期督办').length, 1);
    assert.equal((await notes(facilitator, `/handle/opinions/${id}`)).filter((x) => x.title === '逾期督办').length, 0);
    assert.equal((await sweep(at('2026-10-12'))).escalated, 0, 'escalated once per deadline');

    // Accepted late; the reply deadline has its own reminder and its own escalation.
    await db().updateTable('opinions').set({ status: 'accepted', accepted_at: at('2026-10-12', 11).toISOString() }).where('id', '=', id).execute();
    assert.equal((await sweep(at('2026-10-21'))).reminded, 0);
    assert.equal((await sweep(at('2026-10-22'))).reminded, 1, 'reply reminder a working day before 10-23');
    assert.equal((await sweep(at('2026-10-24'))).escalated, 0, 'Saturday 10-24 is no working day');
    assert.equal((await sweep(at('2026-10-26'))).escalated, 1);
    const all = (await events(id)).filter((e) => e.action === 'escalated' || e.action === 'reminded');
    assert.deepEqual(all.map((e) => `${e.action}:${String(e.deadline)}:${String(e.daysLate ?? '')}`), [
      'reminded:accept:', 'escalated:accept:1', 'reminded:reply:', 'escalated:reply:1',
    ]);
    assert.equal((await sweep(at('2026-11-02'))).escalated, 0);
    assert.equal((await verifyAudit(db())).ok, true);
    await settle();
  });

  it('counts the make-up Saturday: reminders and escalations happen on 10-10', async () => {
    const dueMonday = await opinion(at('2026-09-01'), { target: 'body', targetBodyId: String(w.liaisonGroup), targetMemberId: '' },
      { status: 'accepted', accepted_at: at('2026-09-02').toISOString(), reply_due: '2026-10-12' });
    const dueFriday = await opinion(at('2026-09-01'), {}, { status: 'accepted', accepted_at: at('2026-09-02').toISOString(), reply_due: '2026-10-09', public_visible: 1 });
    // Sunday 09-20 is a make-up working day too: a deadline on Friday 09-18 is late on it.
    const dueSep18 = await opinion(at('2026-09-01'), {}, { status: 'received', accept_due: '2026-09-18' });
    const r = await sweep(at('2026-09-20'));
    assert.equal(r.escalated, 1);
    assert.ok((await row(dueSep18)).escalated_at);
    assert.equal(r.publicChanged, false, 'nothing public was touched');

    const r2 = await sweep(at('2026-10-10'));
    assert.equal(r2.reminded, 1, 'Monday 10-12 is the next working day after the make-up Saturday');
    assert.ok((await row(dueMonday)).reply_reminded_at);
    assert.equal(r2.escalated, 1, 'Friday 10-09 is a working day late on the make-up Saturday');
    assert.equal(r2.publicChanged, true, 'a public opinion’s timeline changed');
    const ev = (await events(dueFriday)).find((e) => e.action === 'escalated');
    assert.equal(ev?.daysLate, 1);
    assert.equal(ev?.deadline, 'reply');
    // Member-held: the staff of the member's body (the committee) hear of it.
    assert.equal(ev?.toBodyId, w.committee);
    assert.equal((await notes(w.staff, `/handle/opinions/${dueFriday}`)).filter((x) => x.title === '逾期督办').length, 1);
    await settle();
  });

  it('closes a reply left unrated for ten working days', async () => {
    // Replied Tuesday 09-29; ten working days later is Monday 10-19 (holiday skipped, 10-10 counted).
    const id = await opinion(at('2026-09-20'), {}, {
      status: 'replied', accepted_at: at('2026-09-21').toISOString(), replied_at: at('2026-09-29').toISOString(),
      first_replied_at: at('2026-09-29').toISOString(), reply_text: '已答复', public_visible: 1,
    });
    const rated = await opinion(at('2026-09-20'), {}, { status: 'closed', replied_at: at('2026-09-29').toISOString(), rating_handling: 3, rating_result: 3 });
    assert.equal((await sweep(at('2026-10-19', 23))).closed, 0, 'the last day of the window');
    const r = await sweep(at('2026-10-20', 1));
    assert.equal(r.closed, 1);
    assert.equal(r.publicChanged, true);
    const op = await row(id);
    assert.equal(op.status, 'closed');
    assert.equal(op.rating_handling, null);
    assert.deepEqual((await events(id)).at(-1), { action: 'closed', auto: true });
    assert.equal((await events(rated)).some((e) => e.action === 'closed'), false);
    const citizenNotes = await notes(w.citizen, `/opinions/track?code=${op.tracking_code}`);
    assert.ok(citizenNotes.some((x) => x.body === '已办结。感谢您的参与。'));
    await settle();
  });

  it('reminds a department of its action item and escalates it to the body that assigned it', async () => {
    const id = await opinion(at('2026-11-02'), {}, { status: 'accepted', accepted_at: new Date().toISOString() });
    const member = await userOf(t.ctx, w.member);
    const itemId = await forwardOpinion(t.ctx, member, id, { departmentId: String(w.department), instructions: '请核实停车位规划情况并答复' });
    await db().updateTable('action_items').set({ due_on: '2026-12-04' }).where('id', '=', itemId).execute();
    await db().updateTable('opinions').set({ reply_due: '2027-01-29' }).where('id', '=', id).execute();
    assert.equal((await sweep(at('2026-12-02'))).actionsReminded, 0);
    const r = await sweep(at('2026-12-03'));
    assert.equal(r.actionsReminded, 1);
    assert.equal((await notes(w.deptHandler, `/handle/actions/${itemId}`)).filter((x) => x.title === '办理期限临近').length, 1);
    assert.equal((await sweep(at('2026-12-04'))).actionsReminded, 0);
    assert.equal((await sweep(at('2026-12-05'))).actionsEscalated, 0, 'Saturday');
    const r2 = await sweep(at('2026-12-07'));
    assert.equal(r2.actionsEscalated, 1);
    const item = await db().selectFrom('action_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
    assert.ok(item.escalated_at && item.reminded_at);
    // The member who forwarded it and the staff of the body it was forwarded from are told.
    assert.equal((await notes(w.member, `/handle/opinions/${id}`)).filter((x) => x.title === '逾期督办').length, 1);
    assert.equal((await notes(w.staff, `/handle/opinions/${id}`)).filter((x) => x.title === '逾期督办').length, 1);
    const ev = (await events(id)).filter((e) => e.deadline === 'action');
    assert.deepEqual(ev.map((e) => e.action), ['reminded', 'escalated']);
    assert.equal(ev[1]?.daysLate, 1);
    assert.equal((await sweep(at('2026-12-14'))).actionsEscalated, 0);
    const itemEvents = (await readStream(db(), 'action_item', itemId)).map((e) => e.action);
    assert.deepEqual(itemEvents, ['created', 'reminded', 'escalated']);
    await settle();
  });

  it('works in batches: more rows than one query takes are all handled, each once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await opinion(at('2026-08-03'), { title: `路灯坏了${i}号` }, { status: 'received', accept_due: '2026-08-05' }));
    const r = await transaction(t.ctx.database, (trx) => sweepSla(trx, at('2026-08-10'), { batch: 3, maxBatches: 2 }));
    assert.equal(r.escalated, 6, 'two batches of three in one sweep');
    const r2 = await transaction(t.ctx.database, (trx) => sweepSla(trx, at('2026-08-10'), { batch: 3, maxBatches: 2 }));
    assert.equal(r2.escalated, 1, 'the rest in the next');
    for (const id of ids) assert.equal((await events(id)).filter((e) => e.action === 'escalated').length, 1);
    await settle();
  });

  it('the periodic job: a starting worker enqueues the current run once, each run enqueues the next', async () => {
    await db().deleteFrom('jobs').execute();
    await kickPeriodicJobs(db());
    await kickPeriodicJobs(db());
    const first = await db().selectFrom('jobs').selectAll().where('kind', '=', SLA_JOB).execute();
    assert.equal(first.length, 1, 'one run per slot');
    assert.ok(first[0]!.run_at <= new Date().toISOString());
    const worker = new JobWorker(t.ctx);
    assert.ok((await worker.runOnce()) >= 1);
    const jobs = await db().selectFrom('jobs').selectAll().where('kind', '=', SLA_JOB).orderBy('id').execute();
    assert.equal(jobs.length, 2);
    assert.equal(jobs[0]!.status, 'done');
    assert.equal(jobs[1]!.status, 'pending');
    const gap = Date.parse(jobs[1]!.run_at) - Date.parse(jobs[0]!.run_at);
    assert.ok(gap > 0 && gap % SLA_EVERY_MS === 0, `next run ${gap} ms later`);
    assert.ok(jobs[1]!.run_at > new Date().toISOString());
    assert.equal(jobs[1]!.dedupe_key, `${SLA_JOB}@${jobs[1]!.run_at}`);
  });
});
