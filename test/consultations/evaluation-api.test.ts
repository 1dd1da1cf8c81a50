import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateActionItem } from '../../src/modules/actions/service.js';
import { createApiToken } from '../../src/modules/admin/tokens/service.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, postForm } from '../helpers/http.js';
import { userOf } from '../helpers/opinions.js';
import { consultationWithOutcome, publishOutcome, writeAndPublish } from './outcome-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// Participants' evaluation through the JSON API with bearer tokens: the same rules as the
// page (participants only, one evaluation per person changed in place, bad values refused
// with a localised 400 and nothing stored, a department never rates its own recommendations,
// recommendations only once answered), and public counts without names or comments.

type Headers = Record<string, string>;

describe('consultations: participants’ evaluation over the API', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let id = 0;
  let otherHandler = 0;
  const auth = {} as Record<'registrant' | 'stranger' | 'member' | 'dept' | 'otherDept', Headers>;
  const db = () => t.ctx.database.db;
  const url = () => `/api/v1/consultations/${id}/evaluation`;
  const inject = (method: 'GET' | 'PUT' | 'POST', path: string, headers: Headers = {}, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url: path, headers, ...(payload ? { payload } : {}) });
  const mine = (userId: number) => db().selectFrom('consultation_evaluations').selectAll().where('consultation_id', '=', id).where('user_id', '=', userId).execute();
  const recRatings = (userId: number) => db().selectFrom('recommendation_evaluations').innerJoin('consultation_recommendations', 'consultation_recommendations.id', 'recommendation_evaluations.recommendation_id')
    .select(['number', 'rating']).where('consultation_id', '=', id).where('user_id', '=', userId).orderBy('number').execute();
  const count = async (table: 'consultation_evaluations' | 'recommendation_evaluations') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const item = async (n: number) => (await db().selectFrom('consultation_recommendations').select('action_item_id').where('consultation_id', '=', id).where('number', '=', n).executeTakeFirstOrThrow()).action_item_id as number;
  const bearer = async (userId: number): Promise<Headers> => ({ authorization: `Bearer ${(await createApiToken(db(), { userId, name: 'app', createdBy: null })).token}` });

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    otherHandler = await makeUser(t.ctx, { name: '住建局办理员', roles: [{ bodyId: w.otherDepartment, role: 'department_handler' }] });
    id = await consultationWithOutcome(t.app, w, staff, { title: '背街小巷环境整治专题协商会' });
    assert.equal((await postForm(t.app, `/consultations/${id}/registration`, {}, await signedInJar(t.app, t.ctx, w.citizens[0] as number))).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'department', bodyId: String(w.department), name: '张副局长' }, staff)).statusCode, 303);
    await writeAndPublish(t.app, w, staff, id, false);
    auth.registrant = await bearer(w.citizens[0] as number);
    auth.stranger = await bearer(w.citizens[3] as number);
    auth.member = await bearer(w.otherMember);
    auth.dept = await bearer(w.deptHandler);
    auth.otherDept = await bearer(otherHandler);
  });
  after(() => t.close());

  it('before the outcome is published: no counts, and nothing can be evaluated', async () => {
    const pub = await inject('GET', url());
    assert.equal(pub.statusCode, 200);
    assert.deepEqual(pub.json(), { consultation_id: id, window: 'not_yet', total: 0, overall: null, process: null, outcome: null, recommendations: [] });
    const res = await inject('PUT', `${url()}/mine`, auth.registrant, { overall: 3 });
    assert.equal(res.statusCode, 409);
    assert.match(res.json().error.message, /成果发布后才能评价/);
    assert.equal(await count('consultation_evaluations'), 0);
    await publishOutcome(t.app, staff, id);
  });

  it('a participant evaluates and changes it in place; GET mine shows it', async () => {
    const before = await inject('GET', `${url()}/mine`, auth.registrant);
    assert.equal(before.statusCode, 200);
    assert.equal(before.json().may_evaluate, true);
    assert.equal(before.json().role, 'registrant');
    assert.equal(before.json().evaluation, null);
    const saved = await inject('PUT', `${url()}/mine`, auth.registrant, { overall: 3, process: '2', comment: '秘密意见：会场太远' });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.deepEqual(saved.json().evaluation, { overall: 3, process: 2, outcome: null, comment: '秘密意见：会场太远' });
    const changed = await inject('POST', `${url()}/mine`, auth.registrant, { overall: 1, outcome: 2 });
    assert.equal(changed.statusCode, 200);
    const rows = await mine(w.citizens[0] as number);
    assert.equal(rows.length, 1, 'one evaluation per person');
    assert.deepEqual([rows[0]?.overall, rows[0]?.process, rows[0]?.outcome, rows[0]?.comment], [1, null, 2, null]);
    assert.deepEqual((await inject('GET', `${url()}/mine`, auth.registrant)).json().evaluation, { overall: 1, process: null, outcome: 2, comment: null });
    assert.equal((await inject('PUT', `${url()}/mine`, auth.member, { overall: 2 })).statusCode, 200, 'a member of the holding body');
  });

  it('those who did not take part are refused (403), and visitors must authenticate (401)', async () => {
    const before = await count('consultation_evaluations');
    for (const [who, headers] of [['never registered', auth.stranger], ['another department', auth.otherDept]] as const) {
      const res = await inject('PUT', `${url()}/mine`, headers, { overall: 3 });
      assert.equal(res.statusCode, 403, who);
      assert.equal(res.json().error.code, 'forbidden', who);
      assert.match(res.json().error.message, /只有参加协商的/, who);
      assert.equal((await inject('GET', `${url()}/mine`, headers)).json().may_evaluate, false, who);
    }
    const en = await inject('POST', `${url()}/mine`, { ...auth.stranger, 'accept-language': 'en' }, { overall: 3 });
    assert.equal(en.statusCode, 403);
    assert.match(en.json().error.message, /Only members, department representatives/);
    assert.equal((await inject('PUT', `${url()}/mine`, {}, { overall: 3 })).statusCode, 401);
    assert.equal((await inject('GET', `${url()}/mine`)).statusCode, 401);
    assert.equal(await count('consultation_evaluations'), before);
  });

  it('bad values are a localised 400 and nothing is stored', async () => {
    const before = { evaluations: await count('consultation_evaluations'), ratings: await count('recommendation_evaluations') };
    const cases: Array<[Record<string, unknown>, RegExp, RegExp]> = [
      [{ overall: 5 }, /总体评价/, /overall/i],
      [{ overall: 'very good' }, /总体评价/, /overall/i],
      [{}, /总体评价/, /overall/i],
      [{ overall: [3] }, /总体评价/, /overall/i],
      [{ overall: 3, process: 0 }, /对协商过程的评价/, /process/i],
      [{ overall: 3, comment: '长'.repeat(1001) }, /意见和建议/, /comment/i],
      [{ overall: 3, rec_1: 3 }, /建议1还不能由您评价/, /recommendation 1/],
      [{ overall: 3, rec_x: 2 }, /./, /./],
    ];
    for (const [payload, zh, en] of cases) {
      const res = await inject('PUT', `${url()}/mine`, auth.dept, payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80));
      const body = res.json();
      assert.equal(body.error.code, 'validation_failed');
      assert.match(JSON.stringify(body.error.fields), zh, JSON.stringify(body));
      const english = await inject('PUT', `${url()}/mine`, { ...auth.dept, 'accept-language': 'en' }, payload);
      assert.equal(english.statusCode, 400);
      assert.match(JSON.stringify(english.json().error.fields), en, english.body);
    }
    assert.equal((await mine(w.deptHandler)).length, 0);
    assert.deepEqual({ evaluations: await count('consultation_evaluations'), ratings: await count('recommendation_evaluations') }, before);
  });

  it('recommendations are rated once answered, never by their own department', async () => {
    const pending = (await inject('GET', `${url()}/mine`, auth.registrant)).json();
    assert.deepEqual(pending.recommendations.map((r: { number: number; ratable: boolean; why_not: string | null }) => [r.number, r.ratable, r.why_not]), [[1, false, 'not_answered'], [2, false, 'not_answered']]);
    assert.equal((await inject('PUT', `${url()}/mine`, auth.registrant, { overall: 1, rec_2: 3 })).statusCode, 400, 'not answered yet');
    await updateActionItem(t.ctx, await userOf(t.ctx, w.deptHandler), await item(1), 'answer', { text: '已清理背街小巷垃圾 120 吨。', done: 'on' });
    await updateActionItem(t.ctx, await userOf(t.ctx, otherHandler), await item(2), 'answer', { text: '路灯改造已完成招标。' });

    const own = (await inject('GET', `${url()}/mine`, auth.dept)).json();
    assert.deepEqual(own.recommendations.map((r: { number: number; ratable: boolean; why_not: string | null }) => [r.number, r.ratable, r.why_not]), [[1, false, 'own_department'], [2, true, null]]);
    const refused = await inject('PUT', `${url()}/mine`, auth.dept, { overall: 2, rec_1: 3 });
    assert.equal(refused.statusCode, 400);
    assert.match(JSON.stringify(refused.json().error.fields), /建议1还不能由您评价/);
    assert.equal((await mine(w.deptHandler)).length, 0, 'nothing stored, not even the overall rating');
    assert.equal((await recRatings(w.deptHandler)).length, 0);
    const other = await inject('PUT', `${url()}/mine`, auth.dept, { overall: 2, rec_2: 1, rec_2_comment: '秘密意见：进度慢' });
    assert.equal(other.statusCode, 200, 'another department’s result it may rate');
    assert.deepEqual(other.json().recommendations.map((r: { number: number; rating: number | null }) => [r.number, r.rating]), [[1, null], [2, 1]]);

    assert.equal((await inject('PUT', `${url()}/mine`, auth.registrant, { overall: 1, rec_1: '3', rec_1_comment: '秘密意见：很干净', rec_2: 2 })).statusCode, 200);
    assert.deepEqual((await recRatings(w.citizens[0] as number)).map((r) => [r.number, r.rating]), [[1, 3], [2, 2]]);
    assert.equal((await inject('PUT', `${url()}/mine`, auth.registrant, { overall: 1, rec_1: 3, rec_2: '' })).statusCode, 200);
    assert.deepEqual((await recRatings(w.citizens[0] as number)).map((r) => [r.number, r.rating]), [[1, 3]], 'a blank takes a rating back');
  });

  it('the public counts show people per level, never names or comments', async () => {
    const res = await inject('GET', url());
    assert.equal(res.statusCode, 200);
    const body = res.json();
    // Overall: registrant 1, member 2, department representative 2; each saving replaces the whole evaluation (no outcome rating left).
    assert.deepEqual(body, {
      consultation_id: id, window: 'open', total: 3,
      overall: { 3: 0, 2: 2, 1: 1 }, process: { 3: 0, 2: 0, 1: 0 }, outcome: { 3: 0, 2: 0, 1: 0 },
      recommendations: [{ number: 1, total: 1, counts: { 3: 1, 2: 0, 1: 0 } }, { number: 2, total: 1, counts: { 3: 0, 2: 0, 1: 1 } }],
    });
    assert.doesNotMatch(res.body, /秘密意见/);
    const names = await db().selectFrom('users').select('display_name').where('id', 'in', [w.citizens[0] as number, w.otherMember, w.deptHandler]).execute();
    for (const n of names) assert.ok(!res.body.includes(n.display_name), `no ${n.display_name}`);
    assert.deepEqual((await inject('GET', url(), auth.member)).json(), body, 'the same for a signed-in client');
  });

  it('bad ids and private consultations are not found; the community track has no evaluation', async () => {
    for (const bad of ['abc', '0', '-1', '99999999', '1.5']) {
      assert.equal((await inject('GET', `/api/v1/consultations/${bad}/evaluation`)).statusCode, 404, bad);
      assert.equal((await inject('PUT', `/api/v1/consultations/${bad}/evaluation/mine`, auth.registrant, { overall: 3 })).statusCode, 404, bad);
    }
    const hidden = await consultationWithOutcome(t.app, w, staff, { title: '内部评价协商会', isPublic: false });
    await writeAndPublish(t.app, w, staff, hidden);
    assert.equal((await inject('GET', `/api/v1/consultations/${hidden}/evaluation`)).statusCode, 404);
    assert.equal((await inject('GET', `/api/v1/consultations/${hidden}/evaluation/mine`, auth.stranger)).statusCode, 404);
    assert.equal((await inject('PUT', `/api/v1/consultations/${hidden}/evaluation/mine`, auth.member, { overall: 3 })).statusCode, 200, 'a member of the holding body');
    const community = (await db().insertInto('consultations').values({
      title: '社区议事协商', summary: '', form: 'community', mode: 'in_person', track: 'community', lead_body_id: w.council, plan_item_id: null, topic_id: null, year: 2026,
      starts_at: null, ends_at: null, place: null, online_url: null, agenda: '', is_public: 1, registration_open: 0, capacity: null, seats_taken: 0, stage: 'topic',
      stage_changed_at: new Date().toISOString(), sort_at: new Date().toISOString(), created_by: w.staff, created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
    }).returning('id').executeTakeFirstOrThrow()).id;
    assert.equal((await inject('GET', `/api/v1/consultations/${community}/evaluation`)).statusCode, 404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await inject('GET', '/api/openapi.json')).json();
    for (const path of ['/api/v1/consultations/{id}/evaluation', '/api/v1/consultations/{id}/evaluation/mine']) assert.ok(doc.paths[path], path);
    assert.ok(doc.paths['/api/v1/consultations/{id}/evaluation/mine'].put.summary);
  });
});
