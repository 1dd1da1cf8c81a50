import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordVote } from '../../src/modules/deliberation/participation.js';
import { loadCurrentUser } from '../../src/platform/auth/current-user.js';
import { catalogFor } from '../../src/web/i18n/index.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, csrfToken, postForm } from '../helpers/http.js';
import { consultationWithOutcome, writeAndPublish } from '../consultations/outcome-helpers.js';
import { type ConsultationWorld, makeConsultationWorld, postAndId, textOf } from '../consultations/world.js';
import { createThroughForm, statementIds } from './wiring-helpers.js';

// Once a consultation stops deliberating (the outcome stage, a community consultation's
// decision, or a published outcome), its deliberations stay closed: the outcome report keeps
// them as they were. Organisers are told so at the settings form; standalone ones reopen.

describe('deliberation: no reopening after the consultation has moved on', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  const db = () => t.ctx.database.db;
  const status = async (id: number) => (await db().selectFrom('deliberations').select(['status', 'closed_at', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow());
  const settings = (id: number, s: 'open' | 'closed') => postForm(t.app, `/deliberations/${id}/settings`, { moderation: 'open', status: s, maxGroups: '5' }, staff);
  const move = async (id: number, stage: string) => assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage }, staff)).statusCode, 303, stage);
  const deliberation = async (owner: string, title: string) => {
    const made = await createThroughForm(t.app, staff, { owner, title, moderation: 'open', seeds: '观点一\n观点二' });
    assert.ok(made.id > 0, `created: ${made.res.statusCode}`);
    return made.id;
  };
  /** The settings answer refuses at the status field, in the page's language, and changes nothing. */
  async function refused(did: number, lang: 'zh-CN' | 'en' = 'zh-CN') {
    const before = await status(did);
    const token = csrfToken(t.app, staff);
    const res = await t.app.inject({
      method: 'POST', url: `/deliberations/${did}/settings`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: staff.header(), 'accept-language': lang === 'en' ? 'en' : 'zh-CN' },
      payload: new URLSearchParams({ moderation: 'strict', status: 'open', maxGroups: '3', _csrf: token }).toString(),
    });
    assert.equal(res.statusCode, 409, res.body.slice(0, 300));
    const m = catalogFor(lang).deliberation.errReopenEnded;
    assert.ok(textOf(res).includes(m), 'the message on the page');
    assert.match(res.body, /<p class="xs-error" id="e-status">/, 'at the status field');
    assert.match(res.body, /<title>(错误：|Error: )/);
    assert.deepEqual(await status(did), before, 'nothing changed');
    const d = await db().selectFrom('deliberations').select(['moderation', 'max_groups']).where('id', '=', did).executeTakeFirstOrThrow();
    assert.deepEqual(d, { moderation: 'open', max_groups: 5 }, 'not the other settings either');
  }

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
  });
  after(() => t.close());

  it('at the outcome stage: refused with 409 at the form (zh and en); closing stays possible', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '停车收费调整协商会' });
    const did = await deliberation(`consultation:${id}`, '收费怎么调');
    await move(id, 'meeting');
    // Before the outcome an organiser may close and reopen.
    assert.equal((await settings(did, 'closed')).statusCode, 303);
    assert.equal((await settings(did, 'open')).statusCode, 303);
    assert.equal((await status(did)).status, 'open');
    await move(id, 'outcome');
    assert.equal((await status(did)).status, 'closed');
    await refused(did);
    await refused(did, 'en');
    assert.equal((await settings(did, 'closed')).statusCode, 303, 'saving it closed is fine');
    assert.equal((await status(did)).status, 'closed');
  });

  it('a published outcome (a community consultation still at its deliberation stage) and a community decision', async () => {
    const community = async (title: string) => postAndId(t.app, '/admin/consultations', {
      title, form: 'community', mode: 'in_person', leadBodyId: String(w.committee), summary: '', isPublic: 'on', startsAt: '', endsAt: '', place: '', onlineUrl: '', agenda: '',
    }, staff, /consultations\/(\d+)/);
    const a = await community('社区充电桩议事');
    const da = await deliberation(`consultation:${a}`, '充电桩装在哪');
    await move(a, 'deliberation');
    assert.equal((await postForm(t.app, `/admin/consultations/${a}/outcome`, { report: '## 情况\n\n正文。', text_1: '在地面停车场加装充电桩', department_1: String(w.department), days_1: '5' }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${a}/outcome/publish`, {}, staff)).statusCode, 303);
    assert.equal((await db().selectFrom('consultations').select('stage').where('id', '=', a).executeTakeFirstOrThrow()).stage, 'deliberation');
    await refused(da);

    const b = await community('社区绿化议事');
    const db2 = await deliberation(`consultation:${b}`, '种什么树');
    await move(b, 'deliberation');
    await move(b, 'decision');
    await refused(db2);
    // A new deliberation for it is refused at the owner field too, and none is made.
    const count = async () => Number((await db().selectFrom('deliberations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    const res = await createThroughForm(t.app, staff, { owner: `consultation:${b}`, title: '再开一次', moderation: 'open', seeds: '' });
    assert.equal(res.res.statusCode, 409);
    assert.ok(textOf(res.res).includes(catalogFor('zh-CN').deliberation.errOwnerEnded));
    assert.match(res.res.body, /<p class="xs-error" id="e-owner">/, 'at the owner field');
    assert.equal(await count(), n);
  });

  it('moderating and adding statements leave a closed deliberation closed', async () => {
    const id = await consultationWithOutcome(t.app, w, staff, { title: '菜场噪音治理协商会' });
    const did = await deliberation(`consultation:${id}`, '噪音怎么管');
    const [s1] = await statementIds(t.ctx, did);
    await writeAndPublish(t.app, w, staff, id);
    assert.equal((await status(did)).status, 'closed');
    assert.equal((await postForm(t.app, `/deliberations/statements/${s1}/moderate`, { decision: 'reject' }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/deliberations/${did}/seeds`, { seeds: '早上七点前不得卸货' }, staff)).statusCode, 303);
    assert.equal((await status(did)).status, 'closed');
    const citizen = await signedInJar(t.app, t.ctx, w.citizens[0] as number);
    const add = await postForm(t.app, `/deliberations/${did}/statements`, { body: '应设置隔音屏障' }, citizen);
    assert.ok(add.statusCode >= 400 && add.statusCode < 500, `a citizen's statement is refused: ${add.statusCode}`);
    const u = await loadCurrentUser(db(), await makeUser(t.ctx, { name: '菜场居民' }));
    assert.ok(u);
    const [, s2] = await statementIds(t.ctx, did);
    await assert.rejects(recordVote(t.ctx, u, did, { statement: String(s2), vote: 'agree' }), { code: 'deliberation_closed' });
    assert.equal((await status(did)).status, 'closed');
  });

  it('a standalone deliberation (no consultation) can still be reopened', async () => {
    const did = await deliberation(`body:${w.committee}`, '全县读书月活动');
    assert.equal((await settings(did, 'closed')).statusCode, 303);
    assert.equal((await status(did)).status, 'closed');
    assert.equal((await settings(did, 'open')).statusCode, 303);
    const s = await status(did);
    assert.equal(s.status, 'open');
    assert.equal(s.closed_at, null);
  });
});
