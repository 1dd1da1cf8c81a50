import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { solveChallenge } from 'altcha-lib/v1';
import type { LightMyRequestResponse } from 'fastify';
import { createApiToken } from '../../src/modules/admin/tokens/service.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { csrfToken } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld } from '../helpers/opinions.js';

// The voice channel's JSON API end to end: sending (signed in, and anonymous with a texted
// code and a proof of work), idempotent retries, tracking, the handlers' actions, a
// department answering, the citizen rating.

describe('opinions API', () => {
  let t: TestApp;
  let w: OpinionWorld;
  const tokens: Record<string, string> = {};
  const db = () => t.ctx.database.db;

  before(async () => {
    t = await createTestApp();
    w = await makeOpinionWorld(t.ctx);
    for (const [name, userId] of Object.entries({ citizen: w.citizen, member: w.member, otherMember: w.otherMember, staff: w.staff, dept: w.deptHandler })) {
      tokens[name] = (await createApiToken(db(), { userId, name, createdBy: null })).token;
    }
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST', url: string, o: { as?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}) =>
    t.app.inject({
      method, url,
      headers: { ...(o.as ? { authorization: `Bearer ${tokens[o.as]}` } : {}), ...(o.body !== undefined || o.raw !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      ...(o.raw !== undefined ? { payload: o.raw } : o.body !== undefined ? { payload: JSON.stringify(o.body) } : {}),
    });
  const json = (res: LightMyRequestResponse) => res.json() as Record<string, any>;
  const opinion = (o: Record<string, unknown> = {}) => ({
    kind: 'opinion', title: '小区停车难问题', body: '东门社区老旧小区车位严重不足，晚上车辆占用消防通道，希望规划建设停车位。',
    category: 'traffic', regionId: w.village, target: 'member', targetMemberId: w.member, public: true, ...o,
  });
  const countTitled = async (title: string) => Number((await db().selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).where('title', '=', title).executeTakeFirstOrThrow()).n);
  const lastCode = async (phone: string) => {
    const row = await db().selectFrom('sms_messages').select('text').where('phone', '=', phone).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return /(\d{6})/.exec(row.text)?.[1] ?? '';
  };
  async function proof(): Promise<string> {
    const res = await call('GET', '/api/v1/opinions/challenge');
    assert.equal(res.statusCode, 200, res.body);
    const c = json(res);
    const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
    assert.ok(solution, 'the challenge is solvable');
    return Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: solution.number, salt: c.salt, signature: c.signature })).toString('base64');
  }

  it('sends signed in with a bearer token (JSON numbers and booleans); an Idempotency-Key retry returns the same opinion', async () => {
    const body = opinion({ title: '停车难（接口）' });
    const first = await call('POST', '/api/v1/opinions', { as: 'citizen', body, headers: { 'idempotency-key': 'req-7f3a-0001' } });
    assert.equal(first.statusCode, 201, first.body);
    const r = json(first);
    assert.match(r.trackingCode, /^[2-9A-HJ-NP-Z]{10}$/);
    assert.equal(r.duplicate, false);
    assert.match(r.acceptDue, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(r.url, `/opinions/track?code=${r.trackingCode}`);
    const op = await db().selectFrom('opinions').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    assert.equal(op.citizen_id, w.citizen);
    assert.equal(op.handler_user_id, w.member);
    assert.equal(op.public_consent, 1);

    const again = await call('POST', '/api/v1/opinions', { as: 'citizen', body, headers: { 'idempotency-key': 'req-7f3a-0001' } });
    assert.equal(again.statusCode, 201);
    assert.deepEqual(json(again), r, 'the replay returns the same body');
    assert.equal(await countTitled('停车难（接口）'), 1, 'only one opinion stored');

    const other = await call('POST', '/api/v1/opinions', { as: 'citizen', body: { ...body, title: '别的内容（接口）' }, headers: { 'idempotency-key': 'req-7f3a-0001' } });
    assert.equal(other.statusCode, 409, other.body);
    assert.equal(json(other).error.code, 'conflict');
    assert.equal(await countTitled('别的内容（接口）'), 0);

    // Without a key, the same content within a day is recognised as a duplicate (200, not stored again).
    const dup = await call('POST', '/api/v1/opinions', { as: 'citizen', body });
    assert.equal(dup.statusCode, 200);
    assert.equal(json(dup).id, r.id);
    assert.equal(json(dup).duplicate, true);
  });

  it('refuses bad keys, bad JSON and bad fields with localised messages, storing nothing', async () => {
    const before = await countTitled('坏请求测试');
    for (const key of ['', 'has space', 'x'.repeat(101), '中文键']) {
      const res = await call('POST', '/api/v1/opinions', { as: 'citizen', body: opinion({ title: '坏请求测试' }), headers: { 'idempotency-key': key } });
      assert.equal(res.statusCode, 400, `key ${JSON.stringify(key)}: ${res.body}`);
      assert.equal(json(res).error.fields[0].field, 'Idempotency-Key');
    }
    const broken = await call('POST', '/api/v1/opinions', { as: 'citizen', raw: '{"title": ' });
    assert.equal(broken.statusCode, 400);
    assert.equal(json(broken).error.code, 'bad_request');
    assert.equal(json(broken).error.message, '请求无效，请检查后重试。');

    const bad = await call('POST', '/api/v1/opinions', { as: 'citizen', body: opinion({ title: '坏', body: '太短', category: 'nope', regionId: 'abc' }) });
    assert.equal(bad.statusCode, 400);
    const e = json(bad).error;
    assert.equal(e.code, 'validation_failed');
    assert.deepEqual(e.fields.map((f: { field: string }) => f.field), ['title', 'body', 'regionId']);
    assert.match(e.fields[0].message, /标题/);
    const en = await call('POST', '/api/v1/opinions', { as: 'citizen', body: opinion({ title: '坏请求测试', regionId: 99999999 }), headers: { 'accept-language': 'en' } });
    assert.equal(en.statusCode, 400);
    assert.equal(json(en).error.fields[0].field, 'regionId');
    assert.doesNotMatch(json(en).error.fields[0].message, /\p{Script=Han}/u, 'an English message');
    assert.doesNotMatch(json(en).error.message, /\p{Script=Han}/u);
    const array = await call('POST', '/api/v1/opinions', { as: 'citizen', raw: '[1,2]' });
    assert.equal(array.statusCode, 400);
    assert.equal(await countTitled('坏请求测试'), before);
  });

  it('sends anonymously with a texted code and a proof of work; tracking code + last four digits open it', async () => {
    const phone = '13912345678';
    const sent = await call('POST', '/api/v1/opinions/code', { body: { phone } });
    assert.equal(sent.statusCode, 202, sent.body);
    assert.equal(json(sent).phone, '139****5678');
    const code = await lastCode(phone);
    assert.match(code, /^\d{6}$/);

    const noProof = await call('POST', '/api/v1/opinions', { body: { ...opinion({ title: '路灯不亮（匿名）' }), phone, code } });
    assert.equal(noProof.statusCode, 400);
    assert.equal(json(noProof).error.fields[0].field, 'proof');

    const p = await proof();
    const body = { ...opinion({ title: '路灯不亮（匿名）', target: 'body', targetBodyId: w.liaisonGroup, targetMemberId: null }), phone, code, proof: p };
    const ok = await call('POST', '/api/v1/opinions', { body, headers: { 'idempotency-key': 'anon-1' } });
    assert.equal(ok.statusCode, 201, ok.body);
    const r = json(ok);
    // The retry (a lost response) replays without spending the proof or the code again.
    const retry = await call('POST', '/api/v1/opinions', { body, headers: { 'idempotency-key': 'anon-1' } });
    assert.equal(retry.statusCode, 201, retry.body);
    assert.equal(json(retry).id, r.id);
    assert.equal(await countTitled('路灯不亮（匿名）'), 1);
    // A spent proof is refused for a new submission.
    const reuse = await call('POST', '/api/v1/opinions', { body: { ...body, title: '路灯不亮（再次）' } });
    assert.equal(reuse.statusCode, 400);
    assert.equal(json(reuse).error.fields[0].field, 'proof');

    const tracked = await call('POST', '/api/v1/opinions/track', { body: { code: `${r.trackingCode.slice(0, 5)}-${r.trackingCode.slice(5).toLowerCase()}`, last4: '5678' } });
    assert.equal(tracked.statusCode, 200, tracked.body);
    const v = json(tracked);
    assert.equal(v.id, r.id);
    assert.equal(v.status, 'received');
    assert.equal(v.statusLabel, '待受理');
    assert.match(v.recipient.body, /城关镇联络组/);
    assert.equal(v.acceptDue, r.acceptDue);
    assert.deepEqual(v.timeline.map((i: { action: string }) => i.action), ['submitted']);
    assert.equal(v.timeline[0].label, '已收到');
    assert.equal(v.can.withdraw, true);
    const wrong = await call('POST', '/api/v1/opinions/track', { body: { code: r.trackingCode, last4: '0000' } });
    assert.equal(wrong.statusCode, 400);
    assert.equal(json(wrong).error.fields[0].field, 'code');

    // The sender adds information, then withdraws it.
    const added = await call('POST', `/api/v1/opinions/${r.trackingCode}/information`, { body: { last4: '5678', info: '晚上九点以后整条路都是黑的。' } });
    assert.equal(added.statusCode, 200, added.body);
    assert.equal(json(added).timeline.at(-1).action, 'citizen_added');
    assert.equal(json(added).timeline.at(-1).text, '晚上九点以后整条路都是黑的。');
    const noProofAdd = await call('POST', `/api/v1/opinions/${r.trackingCode}/information`, { body: { info: '没有验证' } });
    assert.equal(noProofAdd.statusCode, 400);
    const withdrawn = await call('POST', `/api/v1/opinions/${r.trackingCode}/withdraw`, { body: { last4: '5678' } });
    assert.equal(withdrawn.statusCode, 200);
    assert.equal(json(withdrawn).status, 'withdrawn');
    assert.equal(json(withdrawn).can.withdraw, false);
  });

  it('the main path: a member accepts and forwards, the department answers, the citizen rates', async () => {
    const sent = json(await call('POST', '/api/v1/opinions', { as: 'citizen', body: opinion({ title: '学校门口拥堵（接口）', body: '实验小学门口上下学时段交通拥堵严重，建议设置临时停车区。' }) }));
    const id = sent.id as number;

    const inbox = await call('GET', '/api/v1/handle/opinions?mine=1&status=received', { as: 'member' });
    assert.equal(inbox.statusCode, 200, inbox.body);
    assert.ok(json(inbox).items.some((i: { id: number }) => i.id === id));
    assert.equal(json(inbox).scope.kind, 'mine');
    const notMine = await call('GET', `/api/v1/handle/opinions?body=${w.specialCommittee}`, { as: 'member' });
    assert.equal(notMine.statusCode, 403);
    assert.equal((await call('GET', '/api/v1/handle/opinions', {})).statusCode, 401);

    assert.equal((await call('POST', `/api/v1/handle/opinions/${id}/accept`, { as: 'otherMember', body: {} })).statusCode, 403);
    const accepted = await call('POST', `/api/v1/handle/opinions/${id}/accept`, { as: 'member', body: {} });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(json(accepted).status, 'accepted');
    assert.equal((await call('POST', `/api/v1/handle/opinions/${id}/accept`, { as: 'member', body: {} })).statusCode, 409);

    const badForward = await call('POST', `/api/v1/handle/opinions/${id}/forward`, { as: 'member', body: { departmentId: w.specialCommittee, instructions: '请核实' } });
    assert.equal(badForward.statusCode, 400);
    const fwd = await call('POST', `/api/v1/handle/opinions/${id}/forward`, { as: 'member', body: { departmentId: w.department, instructions: '请核实学校门口停车区设置并答复', dueDays: 5 } });
    assert.equal(fwd.statusCode, 200, fwd.body);
    const itemId = json(fwd).actionItemId as number;
    assert.ok(itemId > 0);

    const detail = await call('GET', `/api/v1/handle/opinions/${id}`, { as: 'member' });
    assert.equal(detail.statusCode, 200, detail.body);
    assert.deepEqual(json(detail).actionItems.map((a: { id: number }) => a.id), [itemId]);
    assert.deepEqual(json(detail).timeline.map((i: { action: string }) => i.action), ['submitted', 'accepted', 'forwarded']);
    assert.equal(json(detail).citizen.phone, `${w.citizenPhone.slice(0, 3)}****${w.citizenPhone.slice(-4)}`);
    assert.equal((await call('GET', `/api/v1/handle/opinions/${id}`, { as: 'otherMember' })).statusCode, 403);
    assert.equal((await call('GET', '/api/v1/handle/opinions/abc', { as: 'member' })).statusCode, 404);

    // The department's inbox and its answer.
    const items = await call('GET', '/api/v1/handle/actions', { as: 'dept' });
    assert.equal(items.statusCode, 200, items.body);
    assert.equal(json(items).department.id, w.department);
    assert.ok(json(items).items.some((i: { id: number }) => i.id === itemId));
    assert.equal((await call('GET', '/api/v1/handle/actions', { as: 'member' })).statusCode, 404);
    assert.equal((await call('POST', `/api/v1/actions/${itemId}/answer`, { as: 'member', body: { text: '已处理' } })).statusCode, 403);
    const progress = await call('POST', `/api/v1/actions/${itemId}/progress`, { as: 'dept', body: { text: '已到现场查看' } });
    assert.equal(progress.statusCode, 200, progress.body);
    const answer = await call('POST', `/api/v1/actions/${itemId}/answer`, { as: 'dept', body: { text: '已在校门东侧划设临时停车区 20 个车位。', done: true } });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(json(answer).status, 'done');
    const itemView = await call('GET', `/api/v1/handle/actions/${itemId}`, { as: 'dept' });
    assert.deepEqual(json(itemView).updates.map((u: { kind: string }) => u.kind), ['progress', 'answer']);

    // The citizen sees the reply (signed in: no last four digits needed) and rates it.
    const mine = await call('GET', '/api/v1/me/opinions', { as: 'citizen' });
    assert.equal(mine.statusCode, 200);
    assert.equal(json(mine).items.find((i: { id: number }) => i.id === id)?.status, 'replied');
    const stranger = await call('POST', `/api/v1/opinions/${sent.trackingCode}/rating`, { as: 'member', body: { handling: 3, result: 3 } });
    assert.equal(stranger.statusCode, 404);
    const badRating = await call('POST', `/api/v1/opinions/${sent.trackingCode}/rating`, { as: 'citizen', body: { handling: 5, result: 3 } });
    assert.equal(badRating.statusCode, 400);
    const rated = await call('POST', `/api/v1/opinions/${sent.trackingCode}/rating`, { as: 'citizen', body: { handling: 3, result: 2, comment: '很快' } });
    assert.equal(rated.statusCode, 200, rated.body);
    assert.equal(json(rated).reopened, false);
    assert.equal(json(rated).opinion.status, 'closed');
    assert.deepEqual(json(rated).opinion.rating, { handling: 3, result: 2 });
    assert.equal(json(rated).opinion.reply, '已在校门东侧划设临时停车区 20 个车位。');
    assert.deepEqual(json(rated).opinion.timeline.map((i: { action: string }) => i.action),
      ['submitted', 'accepted', 'forwarded', 'action_progress', 'action_answered', 'action_done', 'rated', 'closed']);
    assert.equal((await call('POST', `/api/v1/opinions/${sent.trackingCode}/rating`, { as: 'citizen', body: { handling: 3, result: 3 } })).statusCode, 409);
  });

  it('the other handler actions: question, decline, assign, merge, reply, close', async () => {
    const send = async (title: string, extra: Record<string, unknown> = {}) =>
      json(await call('POST', '/api/v1/opinions', { as: 'citizen', body: opinion({ title, target: 'body', targetBodyId: w.liaisonGroup, targetMemberId: null, ...extra }) }));
    const a = await send('垃圾清运不及时（接口）');
    const b = await send('垃圾桶满溢（接口）', { body: '东门社区垃圾桶经常满溢，清运不及时，夏天气味很大，希望增加清运次数。' });
    const act = (id: number, action: string, body: unknown = {}) => call('POST', `/api/v1/handle/opinions/${id}/${action}`, { as: 'staff', body });

    assert.equal((await act(a.id, 'question', { question: '具体是哪几个垃圾桶？' })).statusCode, 200);
    const merged = await act(b.id, 'merge', { into: a.trackingCode });
    assert.equal(merged.statusCode, 200, merged.body);
    assert.equal(json(merged).status, 'merged');
    assert.equal(json(merged).mergedIntoId, a.id);
    const followed = json(await call('POST', `/api/v1/opinions/${b.trackingCode}/withdraw`, { as: 'citizen', body: {} }));
    assert.equal(followed.error.code, 'conflict', 'a merged opinion is no longer open');
    const view = json(await call('POST', '/api/v1/opinions/track', { body: { code: b.trackingCode, last4: w.citizenPhone.slice(-4) } }));
    assert.equal(view.mergedInto.trackingCode, a.trackingCode);

    const assigned = await act(a.id, 'assign', { bodyId: w.specialCommittee, note: '涉及环卫，请专委会跟进' });
    assert.equal(assigned.statusCode, 200, assigned.body);
    assert.equal((await db().selectFrom('opinions').select('handler_body_id').where('id', '=', a.id).executeTakeFirstOrThrow()).handler_body_id, w.specialCommittee);
    assert.equal((await act(a.id, 'accept')).statusCode, 200);
    assert.equal((await act(a.id, 'reply', { reply: '已协调环卫所每日清运两次。' })).statusCode, 200);
    const closed = await act(a.id, 'close');
    assert.equal(closed.statusCode, 200);
    assert.equal(json(closed).status, 'closed');

    const c = await send('噪音扰民（接口）', { body: '文昌路夜市晚上十点以后还很吵，影响居民休息，希望规范经营时间。' });
    const declined = await act(c.id, 'decline', { reason: '属于城管执法事项，请拨打 12345 反映。' });
    assert.equal(declined.statusCode, 200);
    assert.equal(json(declined).status, 'declined');
    assert.equal((await act(c.id, 'decline', { reason: 'x' })).statusCode, 400);
    assert.equal((await act(999999, 'accept')).statusCode, 404);
  });

  it('a session cookie needs the CSRF token on JSON posts; a bearer token does not', async () => {
    const jar = await signedInJar(t.app, t.ctx, w.citizen);
    const body = JSON.stringify(opinion({ title: '会话提交（接口）' }));
    const noToken = await t.app.inject({ method: 'POST', url: '/api/v1/opinions', payload: body, headers: { 'content-type': 'application/json', cookie: jar.header() } });
    assert.equal(noToken.statusCode, 403);
    assert.equal(json(noToken).error.code, 'csrf');
    const token = csrfToken(t.app, jar);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/opinions', payload: body, headers: { 'content-type': 'application/json', cookie: jar.header(), 'x-csrf-token': token } });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal((await db().selectFrom('opinions').select('citizen_id').where('id', '=', json(ok).id).executeTakeFirstOrThrow()).citizen_id, w.citizen);
  });

  it('every route is documented under the opinions tag', async () => {
    const doc = json(await call('GET', '/api/openapi.json'));
    const paths = Object.entries(doc.paths as Record<string, Record<string, { tags?: string[]; summary?: string }>>)
      .flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ p, m, op })))
      .filter((x) => x.op.tags?.includes('opinions'));
    const names = paths.map((x) => `${x.m.toUpperCase()} ${x.p}`);
    for (const want of ['POST /api/v1/opinions', 'POST /api/v1/opinions/code', 'GET /api/v1/opinions/challenge', 'POST /api/v1/opinions/track',
      'GET /api/v1/me/opinions', 'POST /api/v1/opinions/{code}/rating', 'GET /api/v1/handle/opinions', 'POST /api/v1/handle/opinions/{id}/forward',
      'GET /api/v1/handle/actions', 'POST /api/v1/actions/{id}/answer']) {
      assert.ok(names.includes(want), `${want} documented`);
    }
    for (const x of paths) assert.ok(x.op.summary, `${x.m} ${x.p} has a summary`);
  });
});

