import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateActionItem } from '../../src/modules/actions/service.js';
import { loadOpinion } from '../../src/modules/opinions/access.js';
import { rateOpinion, senderOpinion, addInformation, withdrawOpinion } from '../../src/modules/opinions/citizen.js';
import { acceptOpinion, assignOpinion, declineOpinion, forwardOpinion, mergeOpinion, replyToOpinion } from '../../src/modules/opinions/handling.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { opinionTimeline } from '../../src/modules/opinions/timeline.js';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

describe('opinions: the service from sending to rating', () => {
  let t: TestApp;
  let w: OpinionWorld;
  before(async () => {
    t = await createTestApp();
    w = await makeOpinionWorld(t.ctx);
  });
  after(() => t.close());

  it('a signed-in citizen sends to a member; the member accepts, forwards, the department answers, the citizen rates', async () => {
    const citizen = await userOf(t.ctx, w.citizen);
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, sampleOpinion(w));
    assert.match(sent.trackingCode, /^[2-9A-HJ-NP-Z]{10}$/);
    assert.equal(sent.duplicate, false);
    let op = await loadOpinion(t.ctx.database.db, sent.id);
    assert.equal(op.status, 'received');
    assert.equal(op.handler_user_id, w.member);
    assert.equal(op.phone_last4, w.citizenPhone.slice(-4));

    const member = await userOf(t.ctx, w.member);
    const stranger = await userOf(t.ctx, w.otherMember);
    await assert.rejects(acceptOpinion(t.ctx, stranger, sent.id), { code: 'forbidden' });
    await acceptOpinion(t.ctx, member, sent.id);
    await assert.rejects(acceptOpinion(t.ctx, member, sent.id), { code: 'conflict' });
    const itemId = await forwardOpinion(t.ctx, member, sent.id, { departmentId: String(w.department), instructions: '请核实停车位规划情况并答复' });
    await assert.rejects(forwardOpinion(t.ctx, member, sent.id, { departmentId: String(w.specialCommittee), instructions: '请核实' }), { code: 'validation_failed' });

    const dept = await userOf(t.ctx, w.deptHandler);
    await assert.rejects(updateActionItem(t.ctx, member, itemId, 'answer', { text: '已规划' }), { code: 'forbidden' });
    await updateActionItem(t.ctx, dept, itemId, 'progress', { text: '已现场查看，正在测算' });
    await updateActionItem(t.ctx, dept, itemId, 'answer', { text: '已将该小区纳入今年停车位改造计划，新增 40 个车位。' });
    op = await loadOpinion(t.ctx.database.db, sent.id);
    assert.equal(op.status, 'replied');
    assert.equal(op.reply_text, '已将该小区纳入今年停车位改造计划，新增 40 个车位。');
    assert.equal(op.public_visible, 1);

    const viaCode = await senderOpinion(t.ctx, null, { kind: 'code', code: sent.trackingCode.toLowerCase(), last4: w.citizenPhone.slice(-4) });
    assert.equal(viaCode.id, sent.id);
    await assert.rejects(senderOpinion(t.ctx, null, { kind: 'code', code: sent.trackingCode, last4: '0000' }), { code: 'validation_failed' });

    const r = await rateOpinion(t.ctx, viaCode, { handling: 3, result: 1 });
    assert.equal(r.reopened, true);
    op = await loadOpinion(t.ctx.database.db, sent.id);
    assert.equal(op.status, 'accepted');
    assert.equal(op.reopen_count, 1);
    await replyToOpinion(t.ctx, member, sent.id, { reply: '已督促住建局加快施工，预计下月完工。' });
    const r2 = await rateOpinion(t.ctx, op, { handling: '2', result: '1' });
    assert.equal(r2.reopened, false, 'reopened only once');
    op = await loadOpinion(t.ctx.database.db, sent.id);
    assert.equal(op.status, 'closed');
    await assert.rejects(rateOpinion(t.ctx, op, { handling: 3, result: 3 }), { code: 'conflict' });

    const timeline = await opinionTimeline(t.ctx.database.db, op, 'public');
    assert.deepEqual(timeline.map((e) => e.action), [
      'submitted', 'accepted', 'forwarded', 'action_progress', 'action_answered', 'rated', 'reopened', 'replied', 'rated', 'closed',
    ]);
    assert.equal((await verifyAudit(t.ctx.database.db)).ok, true);
    const notes = await t.ctx.database.db.selectFrom('notifications').select('title').where('user_id', '=', w.citizen).execute();
    assert.ok(notes.length >= 7, `citizen notified on each change (${notes.length})`);
    const sms = await t.ctx.database.db.selectFrom('jobs').select('id').where('kind', 'like', 'sms%').execute();
    assert.ok(sms.length > 0, 'text messages are queued in the outbox');
  });

  it('an exact duplicate within a day returns the first opinion; an Idempotency-Key replays; bad input stores nothing', async () => {
    const citizen = await userOf(t.ctx, w.citizen);
    const input = sampleOpinion(w, { title: '路灯不亮', body: '东门社区主干道路灯已经坏了两周，晚上出行不安全。', target: 'body', targetBodyId: String(w.liaisonGroup) });
    const a = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, input);
    const b = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, input);
    assert.equal(b.id, a.id);
    assert.equal(b.duplicate, true);
    const k1 = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, { ...input, title: '路灯不亮（二）' }, { idempotencyKey: 'k-1' });
    const k2 = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, { ...input, title: '路灯不亮（二）' }, { idempotencyKey: 'k-1' });
    assert.equal(k2.id, k1.id);
    await assert.rejects(submitOpinion(t.ctx, { kind: 'user', user: citizen }, { ...input, title: '别的内容' }, { idempotencyKey: 'k-1' }), { code: 'conflict' });
    const before = await t.ctx.database.db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const bad of [
      { ...input, title: '' }, { ...input, body: '太短' }, { ...input, category: 'nope' }, { ...input, regionId: '999999' },
      { ...input, target: 'body', targetBodyId: String(w.department) }, { ...input, target: 'member', targetMemberId: String(w.staff) },
      { ...input, kind: 'spam' }, { ...input, title: ['a', 'b'] },
    ]) {
      await assert.rejects(submitOpinion(t.ctx, { kind: 'user', user: citizen }, bad), { code: 'validation_failed' });
    }
    const afterCount = await t.ctx.database.db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
  });

  it('routing, assigning, declining, merging, adding and withdrawing', async () => {
    const citizen = await userOf(t.ctx, w.citizen);
    const staff = await userOf(t.ctx, w.staff);
    const routed = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, sampleOpinion(w, { title: '学校门口拥堵', body: '实验小学门口上下学时段交通拥堵严重，建议设置临时停车区。', target: 'route', targetMemberId: '' }));
    let op = await loadOpinion(t.ctx.database.db, routed.id);
    assert.equal(op.handler_body_id, w.committee);
    await assignOpinion(t.ctx, staff, routed.id, { bodyId: String(w.specialCommittee) });
    op = await loadOpinion(t.ctx.database.db, routed.id);
    assert.equal(op.handler_body_id, w.specialCommittee);
    assert.equal(op.routing_confirmed, 1);
    await addInformation(t.ctx, op, { info: '补充：早上七点半最严重。' });
    await declineOpinion(t.ctx, staff, routed.id, { reason: '已由交警部门专项整治，请关注通告。' });
    await assert.rejects(addInformation(t.ctx, await loadOpinion(t.ctx.database.db, routed.id), { info: '还有' }), { code: 'conflict' });

    const one = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, sampleOpinion(w, { title: '垃圾清运不及时', body: '东门社区垃圾桶经常满溢，清运不及时，夏天气味很大。', target: 'body', targetBodyId: String(w.liaisonGroup) }));
    const two = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, sampleOpinion(w, { title: '垃圾清运问题', body: '垃圾桶满了没人清，希望增加清运次数，夏天太臭了。', target: 'body', targetBodyId: String(w.liaisonGroup) }));
    await mergeOpinion(t.ctx, staff, two.id, { into: one.trackingCode });
    const merged = await loadOpinion(t.ctx.database.db, two.id);
    assert.equal(merged.status, 'merged');
    assert.equal(merged.merged_into_id, one.id);
    await withdrawOpinion(t.ctx, await loadOpinion(t.ctx.database.db, one.id));
    assert.equal((await loadOpinion(t.ctx.database.db, one.id)).status, 'withdrawn');
    assert.equal((await verifyAudit(t.ctx.database.db)).ok, true);
  });
});
