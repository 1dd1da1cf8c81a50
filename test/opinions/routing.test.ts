import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transaction } from '../../src/db/database.js';
import { OpinionRouter } from '../../src/modules/opinions/analysis/router.js';
import { assignOpinion } from '../../src/modules/opinions/handling.js';
import { MODEL_KEY, VERSION_KEY, learnExample, loadRouter, saveRouter } from '../../src/modules/opinions/router-store.js';
import { learnRouting, suggestRoute } from '../../src/modules/opinions/routing.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeBody } from '../helpers/factories.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// The routing suggester wired to the service: a stored model suggests a body and says why;
// a staff member's routing teaches it in the same transaction; unsure → the category default.

const PARKING = [
  ['小区停车位严重不足', '老旧小区车位太少，晚上车辆停满消防通道，建议规划建设立体停车场。'],
  ['停车难问题', '小区里停车位不够，很多车只能停在路边，希望增加停车位。'],
  ['建议建设停车场', '周边没有公共停车场，车位紧张，停车收费也不规范。'],
  ['车位紧张', '下班回来根本找不到车位，希望划设夜间临时停车位。'],
];
const ELDERLY = [
  ['社区养老食堂太少', '老年人吃饭不方便，希望社区开办老年食堂，给高龄老人送餐。'],
  ['高龄补贴发放', '八十岁以上老人的高龄补贴一直没有发放，请相关部门核实。'],
  ['养老服务', '社区居家养老服务站缺少护理人员，老人就医和助餐困难。'],
  ['老年人助餐', '希望在村里设立老年人助餐点，解决独居老人吃饭问题。'],
];

describe('opinions: the routing suggester (router-store)', () => {
  let t: TestApp;
  let w: OpinionWorld;
  let economy: number;
  const db = () => t.ctx.database.db;
  before(async () => {
    t = await createTestApp();
    w = await makeOpinionWorld(t.ctx);
    economy = await makeBody(t.ctx, { name: '经济委员会（测试）', kind: 'special_committee', parentId: w.committee });
  });
  after(() => t.close());

  async function train(extra: (r: OpinionRouter) => void = () => {}): Promise<void> {
    const r = new OpinionRouter();
    for (const [title, text] of PARKING) r.learn({ title: title!, text: text!, category: 'urban' }, String(economy));
    for (const [title, text] of ELDERLY) r.learn({ title: title!, text: text!, category: 'elderly' }, String(w.specialCommittee));
    extra(r);
    await saveRouter(db(), r);
  }
  const routed = (title: string, body: string, category = 'other') => ({ ...sampleOpinion(w, { title, body, category, target: 'route', targetMemberId: '' }) });

  it('suggests a body with a reason when the citizen lets the committee route it', async () => {
    await train();
    const citizen = await userOf(t.ctx, w.citizen);
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, routed('停车位不够怎么办', '我们小区停车位太少，车位紧张，晚上停车很难。'));
    const op = await db().selectFrom('opinions').selectAll().where('id', '=', sent.id).executeTakeFirstOrThrow();
    assert.equal(op.handler_body_id, w.committee, 'the committee holds it until staff route it');
    assert.equal(op.suggested_body_id, economy);
    assert.match(op.suggestion_reason ?? '', /^因为提到：.*(停车|车位)/);
    assert.equal(op.routing_confirmed, 0);

    const elderly = await suggestRoute(db(), { title: '老人吃饭难', body: '村里独居老人多，希望办老年食堂助餐。', category: 'other' }, null);
    assert.equal(elderly?.bodyId, w.specialCommittee);
    assert.ok((elderly?.confidence ?? 0) >= 0.5);
  });

  it('when the model is unsure, the category default applies', async () => {
    await db().updateTable('opinion_categories').set({ default_body_id: w.liaisonGroup }).where('key', '=', 'safety').execute();
    const s = await suggestRoute(db(), { title: '反映一个情况', body: '这个事情请有关方面重视一下，谢谢。', category: 'safety' }, w.liaisonGroup);
    assert.equal(s?.bodyId, w.liaisonGroup);
    assert.match(s?.reason ?? '', /^类别：/);
    assert.equal(await suggestRoute(db(), { title: '反映一个情况', body: '这个事情请有关方面重视一下，谢谢。', category: 'other' }, null), null);
  });

  it('a staff correction is learned in the same transaction and changes the next suggestion', async () => {
    await train();
    const citizen = await userOf(t.ctx, w.citizen);
    const staff = await userOf(t.ctx, w.staff);
    const text = { title: '电动车充电桩', body: '小区电动车没地方充电，有人飞线充电，存在安全隐患，希望安装充电桩。' };
    // The model has never seen 充电: whatever it says, staff send these to the liaison group.
    const before = await suggestRoute(db(), { ...text, category: 'other' }, null);
    assert.notEqual(before?.bodyId, w.liaisonGroup);
    const versionBefore = (await db().selectFrom('settings').select('value').where('key', '=', VERSION_KEY).executeTakeFirstOrThrow()).value;

    // A routing decision that fails after learning leaves the model as it was.
    await assert.rejects(transaction(t.ctx.database, async (trx) => {
      await learnRouting(trx, { title: text.title, body: text.body, category_key: 'other' }, w.liaisonGroup);
      throw new Error('rolled back');
    }), /rolled back/);
    const unchanged = (await db().selectFrom('settings').select('value').where('key', '=', VERSION_KEY).executeTakeFirstOrThrow()).value;
    assert.equal(unchanged, versionBefore);

    const sent = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, routed(text.title, text.body));
    await assignOpinion(t.ctx, staff, sent.id, { bodyId: String(w.liaisonGroup) });
    const after = await suggestRoute(db(), { title: '充电桩不够', body: '电动车充电难，楼道里飞线充电很危险，建议多装充电桩。', category: 'other' }, null);
    assert.equal(after?.bodyId, w.liaisonGroup, 'the correction taught the suggester');
    assert.match(after?.reason ?? '', /充电/);
    // Confirming a suggestion the model already makes still counts (once).
    const r = await loadRouter(db());
    const examples = r?.size.examples ?? 0;
    await transaction(t.ctx.database, (trx) => learnExample(trx, { title: '停车难', body: '小区车位不够停车难', category: 'urban' }, economy));
    assert.equal((await loadRouter(db()))?.size.examples, examples + 1);
  });

  it('keeps the parsed model per version; another process’s save is picked up', async () => {
    await train();
    const a = await loadRouter(db());
    const b = await loadRouter(db());
    assert.ok(a && a === b, 'not re-parsed while the version is the same');
    // Another process saved a model: a new version token and model row.
    const other = new OpinionRouter();
    other.learn({ title: '路灯', text: '路灯不亮晚上很黑', category: 'urban' }, String(w.liaisonGroup));
    await db().updateTable('settings').set({ value: JSON.stringify(other.toJSON()) }).where('key', '=', MODEL_KEY).execute();
    await db().updateTable('settings').set({ value: 'another-process' }).where('key', '=', VERSION_KEY).execute();
    const c = await loadRouter(db());
    assert.notEqual(c, a);
    assert.deepEqual(c?.labels, [String(w.liaisonGroup)]);
  });

  it('ignores labels that are no longer bodies one may send to, and a damaged model', async () => {
    const r = new OpinionRouter();
    for (const [title, text] of PARKING) r.learn({ title: title!, text: text!, category: 'urban' }, String(w.department));
    await saveRouter(db(), r);
    assert.equal(await suggestRoute(db(), { title: '停车难', body: '小区车位太少停车难', category: 'other' }, null), null, 'a department is no recipient');
    await db().updateTable('settings').set({ value: '{"format":"nope"' }).where('key', '=', MODEL_KEY).execute();
    await db().updateTable('settings').set({ value: 'damaged' }).where('key', '=', VERSION_KEY).execute();
    assert.equal(await suggestRoute(db(), { title: '停车难', body: '小区车位太少停车难', category: 'other' }, null), null);
    // The next routing decision starts a fresh model.
    await transaction(t.ctx.database, (trx) => learnExample(trx, { title: '停车难', body: '小区车位不够停车难', category: 'urban' }, economy));
    assert.deepEqual((await loadRouter(db()))?.labels, [String(economy)]);
  });
});
