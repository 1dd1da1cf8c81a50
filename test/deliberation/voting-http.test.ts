import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { get, postForm } from '../helpers/http.js';
import { type People, apiToken, createThroughForm, json, people, statementIds } from './wiring-helpers.js';

// Taking part over HTTP, pages and API: votes (the last counts, the history is kept), votes on
// statements that take none, statements (too long, duplicates, moderation), who may moderate.

describe('deliberation: voting and statements over HTTP', () => {
  let t: TestApp;
  let p: People;
  let id = 0;
  let seeds: number[] = [];
  const db = () => t.ctx.database.db;
  const version = async (d = id) => (await db().selectFrom('deliberations').select('votes_version').where('id', '=', d).executeTakeFirstOrThrow()).votes_version;

  before(async () => {
    t = await createTestApp();
    p = await people(t.app, t.ctx);
    const made = await createThroughForm(t.app, p.staff, {
      owner: `body:${p.bodyId}`, title: '老旧小区加装电梯', seeds: '加装电梯应由全体业主共同出资\n低层住户应得到补偿\n政府应承担主要费用',
    });
    assert.equal(made.res.statusCode, 303, made.res.body);
    id = made.id;
    seeds = await statementIds(t.ctx, id);
  });
  after(async () => { await t.close(); });

  it('creates the deliberation with its seed statements open for votes', async () => {
    assert.equal(seeds.length, 3);
    const rows = await db().selectFrom('deliberation_statements').select(['status', 'is_seed']).where('deliberation_id', '=', id).execute();
    assert.ok(rows.every((r) => r.status === 'accepted' && r.is_seed === 1));
  });

  it('a citizen without moderation rights cannot create one', async () => {
    const r = await createThroughForm(t.app, p.citizen, { owner: `body:${p.bodyId}`, title: '不该建成' });
    assert.equal(r.res.statusCode, 403);
    const n = await db().selectFrom('deliberations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1);
  });

  it('shows a signed-in participant the next statement with three buttons, and asks others to sign in', async () => {
    const page = await get(t.app, `/deliberations/${id}`, p.citizen);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="vote" value="agree"/);
    assert.match(page.body, /name="vote" value="disagree"/);
    assert.match(page.body, /name="vote" value="pass"/);
    const shown = /name="statement" value="(\d+)"/.exec(page.body);
    assert.ok(shown && seeds.includes(Number(shown[1])));
    assert.match(page.body, /0 \/ 3/);
    const anon = await get(t.app, `/deliberations/${id}`);
    assert.equal(anon.statusCode, 200);
    assert.doesNotMatch(anon.body, /name="vote"/);
    assert.match(anon.body, /\/sign-in\?next=/);
  });

  it('a double vote: the last one counts and both are in the history', async () => {
    const before = await version();
    const s = seeds[0]!;
    const first = await postForm(t.app, `/deliberations/${id}/vote`, { statement: String(s), vote: 'agree' }, p.citizen);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `/deliberations/${id}?done=voted`);
    const second = await postForm(t.app, `/deliberations/${id}/vote`, { statement: String(s), vote: 'disagree' }, p.citizen);
    assert.equal(second.statusCode, 303);
    const current = await db().selectFrom('deliberation_votes').select(['value']).where('statement_id', '=', s).execute();
    assert.deepEqual(current.map((r) => r.value), [-1]);
    const log = await db().selectFrom('deliberation_vote_log').select(['value']).where('statement_id', '=', s).orderBy('id').execute();
    assert.deepEqual(log.map((r) => r.value), [1, -1]);
    assert.equal(await version(), before + 2);
    const participants = await db().selectFrom('deliberation_participants').select(['user_id']).where('deliberation_id', '=', id).execute();
    assert.ok(participants.some((r) => r.user_id === p.citizenId));
    // One pending recomputation, however many votes.
    const jobs = await db().selectFrom('jobs').select(['status']).where('kind', '=', 'deliberation.recompute').execute();
    assert.deepEqual(jobs.map((j) => j.status), ['pending']);
    // The page moves on: the voted statement is not offered again.
    const page = await get(t.app, `/deliberations/${id}`, p.citizen);
    assert.doesNotMatch(page.body, new RegExp(`name="statement" value="${s}"`));
    assert.match(page.body, /1 \/ 3/);
  });

  it('refuses votes on unknown statements and statements of another deliberation, and bad vote values', async () => {
    const token = await apiToken(t.ctx, p.otherId);
    const other = await createThroughForm(t.app, p.staff, { owner: `body:${p.bodyId}`, title: '另一场讨论', seeds: '别处的观点' });
    const [foreign] = await statementIds(t.ctx, other.id);
    const before = await version();
    for (const statement_id of [999_999, foreign!]) {
      const r = await json(t.app, 'POST', `/api/v1/deliberations/${id}/votes`, token, { statement_id, vote: 'agree' });
      assert.equal(r.statusCode, 404, r.body);
      assert.equal(r.json().error.code, 'not_found');
      assert.match(r.json().error.message, /观点不存在/);
    }
    // An unknown deliberation is named as such, not as a missing statement.
    const nowhere = await json(t.app, 'POST', '/api/v1/deliberations/999999/votes', token, { statement_id: seeds[0], vote: 'agree' });
    assert.equal(nowhere.statusCode, 404, nowhere.body);
    assert.match(nowhere.json().error.message, /网络议政不存在/);
    const bad = await json(t.app, 'POST', `/api/v1/deliberations/${id}/votes`, token, { statement_id: seeds[0], vote: 'maybe' });
    assert.equal(bad.statusCode, 400);
    const form = await postForm(t.app, `/deliberations/${id}/vote`, { statement: '12abc', vote: 'agree' }, p.other);
    assert.equal(form.statusCode, 400);
    assert.equal(await version(), before);
    const log = await db().selectFrom('deliberation_vote_log').select((eb) => eb.fn.countAll<number>().as('n')).where('deliberation_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(Number(log.n), 2);
  });

  it('adds statements: too long refused, exact duplicates refused, strict ones wait for a moderator', async () => {
    const long = await postForm(t.app, `/deliberations/${id}/statements`, { body: '长'.repeat(141) }, p.citizen);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /不能超过 140 个字/);
    assert.match(long.body, /<title>错误：/);
    assert.match(long.body, /长{141}/, 'the text is kept in the form');
    const ok = await postForm(t.app, `/deliberations/${id}/statements`, { body: '电梯 维护费用应按楼层分摊' }, p.citizen);
    assert.equal(ok.statusCode, 303);
    assert.match(String(ok.headers.location), /done=pending/);
    // Full-width letters, case and spacing do not make a new statement.
    const dup = await postForm(t.app, `/deliberations/${id}/statements`, { body: '  电梯   维护费用应按楼层分摊 ' }, p.other);
    assert.equal(dup.statusCode, 409);
    assert.match(dup.body, /一模一样的观点/);
    const token = await apiToken(t.ctx, p.citizenId);
    assert.equal((await json(t.app, 'POST', `/api/v1/deliberations/${id}/statements`, token, { body: 'Lift fund 2026' })).statusCode, 201);
    const wide = await json(t.app, 'POST', `/api/v1/deliberations/${id}/statements`, token, { body: 'ｌｉｆｔ　ＦＵＮＤ  ２０２６' });
    assert.equal(wide.statusCode, 409, 'full-width letters, case and spacing do not make a new statement');
    const dupApi = await json(t.app, 'POST', `/api/v1/deliberations/${id}/statements`, token, { body: '加装电梯应由全体业主共同出资' });
    assert.equal(dupApi.statusCode, 409);
    assert.equal(dupApi.json().error.code, 'duplicate_statement');
    const tooLongApi = await json(t.app, 'POST', `/api/v1/deliberations/${id}/statements`, token, { body: 'x'.repeat(141) });
    assert.equal(tooLongApi.statusCode, 400);
    assert.equal(tooLongApi.json().error.fields[0].field, 'body');
    const pending = await db().selectFrom('deliberation_statements').select(['body', 'status']).where('deliberation_id', '=', id).where('is_seed', '=', 0).orderBy('id').execute();
    assert.deepEqual(pending.map((r) => [r.body, r.status]), [['电梯 维护费用应按楼层分摊', 'pending'], ['Lift fund 2026', 'pending']]);
  });

  it('a pending statement takes no votes until a moderator accepts it; a rejected one takes none again', async () => {
    const token = await apiToken(t.ctx, p.citizenId);
    const [s] = (await db().selectFrom('deliberation_statements').select('id').where('deliberation_id', '=', id).where('status', '=', 'pending').orderBy('id').execute()).map((r) => r.id);
    const early = await json(t.app, 'POST', `/api/v1/deliberations/${id}/votes`, token, { statement_id: s, vote: 'agree' });
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'statement_not_open');
    // Only moderators moderate.
    const denied = await postForm(t.app, `/deliberations/statements/${s}/moderate`, { decision: 'accept' }, p.citizen);
    assert.equal(denied.statusCode, 403);
    const queue = await get(t.app, `/deliberations/${id}/moderate`, p.staff);
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /维护费用应按楼层分摊/);
    assert.equal((await get(t.app, `/deliberations/${id}/moderate`, p.citizen)).statusCode, 403);
    const accepted = await postForm(t.app, `/deliberations/statements/${s}/moderate`, { decision: 'accept' }, p.staff);
    assert.equal(accepted.statusCode, 303);
    const vote = await json(t.app, 'POST', `/api/v1/deliberations/${id}/votes`, token, { statement_id: s, vote: 'pass' });
    assert.equal(vote.statusCode, 201, vote.body);
    assert.deepEqual(vote.json(), { statement_id: s, vote: 'pass' });
    await postForm(t.app, `/deliberations/statements/${s}/moderate`, { decision: 'reject' }, p.staff);
    const late = await postForm(t.app, `/deliberations/${id}/vote`, { statement: String(s), vote: 'agree' }, p.citizen);
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /未被采用/);
    const current = await db().selectFrom('deliberation_votes').select('value').where('statement_id', '=', s as number).execute();
    assert.deepEqual(current.map((r) => r.value), [0], 'the refused vote changed nothing');
  });

  it('open moderation shows statements at once; the API gives the next statement', async () => {
    const settings = await postForm(t.app, `/deliberations/${id}/settings`, { moderation: 'open', status: 'open', maxGroups: '5' }, p.staff);
    assert.equal(settings.statusCode, 303);
    const token = await apiToken(t.ctx, p.otherId);
    const r = await json(t.app, 'POST', `/api/v1/deliberations/${id}/statements`, token, { body: '应优先考虑有老人的楼栋' });
    assert.equal(r.statusCode, 201);
    assert.equal(r.json().status, 'accepted');
    const next = await json(t.app, 'GET', `/api/v1/deliberations/${id}/statements/next`, token);
    assert.equal(next.statusCode, 200);
    const body = next.json();
    assert.equal(body.open, true);
    assert.equal(body.total, 4, 'three seeds and the one just added (the others are waiting or rejected)');
    assert.ok(body.statement && typeof body.statement.body === 'string');
    const anon = await t.app.inject({ method: 'GET', url: `/api/v1/deliberations/${id}/statements/next` });
    assert.equal(anon.statusCode, 401);
  });

  it('a closed deliberation takes no votes or statements', async () => {
    await postForm(t.app, `/deliberations/${id}/settings`, { moderation: 'open', status: 'closed', maxGroups: '5' }, p.staff);
    const before = await version();
    const vote = await postForm(t.app, `/deliberations/${id}/vote`, { statement: String(seeds[1]), vote: 'agree' }, p.citizen);
    assert.equal(vote.statusCode, 409);
    assert.match(vote.body, /已结束/);
    const token = await apiToken(t.ctx, p.citizenId);
    const api = await json(t.app, 'POST', `/api/v1/deliberations/${id}/votes`, token, { statement_id: seeds[1], vote: 'agree' });
    assert.equal(api.json().error.code, 'deliberation_closed');
    const st = await json(t.app, 'POST', `/api/v1/deliberations/${id}/statements`, token, { body: '关闭后的新观点' });
    assert.equal(st.statusCode, 409);
    assert.equal(await version(), before);
    const page = await get(t.app, `/deliberations/${id}`, p.citizen);
    assert.doesNotMatch(page.body, /name="vote"/);
  });

  it('the pages are in English too', async () => {
    const page = await get(t.app, `/deliberations/${id}`, p.citizen, { cookie: `${p.citizen.header()}; xs_lang=en` });
    assert.match(page.body, /closed: it takes no more votes/);
    const list = await get(t.app, '/deliberations', undefined, { 'accept-language': 'en' });
    assert.match(list.body, /Online deliberation/);
    assert.match(list.body, /老旧小区加装电梯/);
  });
});

describe('deliberation of a consultation', () => {
  let t: TestApp;
  let p: People;
  after(async () => { await t.close(); });

  it('is created by the consultation’s organisers, linked both ways, and as public as the consultation', async () => {
    t = await createTestApp();
    p = await people(t.app, t.ctx);
    const db = t.ctx.database.db;
    const now = new Date().toISOString();
    const consultation = async (isPublic: number) => {
      const c = await db.insertInto('consultations').values({
        title: isPublic ? '城区停车网络议政' : '内部协商', summary: '', form: 'online', mode: 'online', track: 'standard', stage: 'deliberation', lead_body_id: p.bodyId,
        plan_item_id: null, topic_id: null, year: 2026, starts_at: null, ends_at: null, place: null, online_url: null, agenda: '', is_public: isPublic,
        registration_open: 0, capacity: null, sort_at: now, stage_changed_at: now, created_by: p.staffId, created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('consultation_bodies').values({ consultation_id: c.id, body_id: p.bodyId, role: 'lead' }).execute();
      return c.id;
    };
    const open = await consultation(1);
    const hidden = await consultation(0);
    const made = await createThroughForm(t.app, p.staff, { owner: `consultation:${open}`, title: '停车位怎么分', seeds: '按楼栋分配' });
    assert.equal(made.res.statusCode, 303);
    const refused = await createThroughForm(t.app, p.citizen, { owner: `consultation:${open}`, title: '冒名' });
    assert.equal(refused.res.statusCode, 403);
    const detail = await get(t.app, `/consultations/${open}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, new RegExp(`href="/deliberations/for-consultation/${open}"`));
    const go = await get(t.app, `/deliberations/for-consultation/${open}`);
    assert.equal(go.statusCode, 303);
    assert.equal(go.headers.location, `/deliberations/${made.id}`);
    const page = await get(t.app, `/deliberations/${made.id}`, p.citizen);
    assert.match(page.body, new RegExp(`href="/consultations/${open}"`));
    assert.equal((await get(t.app, `/deliberations/for-consultation/${hidden}`)).statusCode, 404);
    const secret = await createThroughForm(t.app, p.staff, { owner: `consultation:${hidden}`, title: '内部讨论', seeds: '内部观点' });
    assert.equal((await get(t.app, `/deliberations/${secret.id}`, p.citizen)).statusCode, 404);
    assert.equal((await get(t.app, `/deliberations/${secret.id}/results`)).statusCode, 404);
    assert.equal((await get(t.app, `/deliberations/${secret.id}`, p.staff)).statusCode, 200);
    const [s] = await statementIds(t.ctx, secret.id);
    const vote = await postForm(t.app, `/deliberations/${secret.id}/vote`, { statement: String(s), vote: 'agree' }, p.citizen);
    assert.equal(vote.statusCode, 404);
    const apiVote = await json(t.app, 'POST', `/api/v1/deliberations/${secret.id}/votes`, await apiToken(t.ctx, p.otherId), { statement_id: s, vote: 'agree' });
    assert.equal(apiVote.statusCode, 404);
    assert.match(apiVote.json().error.message, /网络议政不存在/, 'a private deliberation is not confirmed by naming its statement');
    const list = await get(t.app, '/deliberations');
    assert.match(list.body, /停车位怎么分/);
    assert.doesNotMatch(list.body, /内部讨论/);
  });
});
