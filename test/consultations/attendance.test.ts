import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { Jar, get, postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, jars, makeConsultationWorld, postAndId, textOf } from './world.js';

// Attendance of invited participants: a member's personal sign-in code entered at the desk
// (wrong 400, reused 409, like registrants'), and the staff's attendance list for everyone.

describe('consultations: participants’ attendance', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let member: Jar;
  let id: number;
  let other: number;
  const pid: Record<string, number> = {};
  const db = () => t.ctx.database.db;
  const attended = async (p: number) => (await db().selectFrom('consultation_participants').select('attended_at').where('id', '=', p).executeTakeFirstOrThrow()).attended_at;
  const events = async (action: string) => (await db().selectFrom('audit_events').select(['data', 'actor_id']).where('stream_type', '=', 'consultation').where('stream_id', '=', String(id)).where('action', '=', action).orderBy('id').execute());
  const codeOnPage = (body: string) => /class="xs-code"[^>]*>(\d{6})</.exec(body)?.[1];

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    member = await signedInJar(t.app, t.ctx, w.member);
    const day = dayOffset(20);
    const fields = { title: '城区停车设施对口协商会', form: 'counterpart', mode: 'in_person', leadBodyId: String(w.committee), year: day.slice(0, 4), startsAt: `${day}T09:30`, place: '县政协会议室' };
    id = await postAndId(t.app, '/admin/consultations', fields, staff, /consultations\/(\d+)/);
    other = await postAndId(t.app, '/admin/consultations', { ...fields, title: '另一次协商会议' }, staff, /consultations\/(\d+)/);
    const add = async (c: number, f: Record<string, string>) => assert.equal((await postForm(t.app, `/admin/consultations/${c}/participants`, f, staff)).statusCode, 303);
    await add(id, { kind: 'member', userId: String(w.member) });
    await add(id, { kind: 'department', bodyId: String(w.department), name: '张副局长', role: '副局长' });
    await add(id, { kind: 'citizen', name: '王大爷', role: '居民代表' });
    await add(other, { kind: 'citizen', name: '别处的代表' });
    for (const p of await db().selectFrom('consultation_participants').select(['id', 'kind', 'consultation_id']).execute()) pid[`${p.consultation_id === id ? '' : 'other-'}${p.kind}`] = p.id;
  });
  after(() => t.close());

  it('an invited member sees a personal code; the desk signs them in once; a wrong code is refused', async () => {
    const notice = await db().selectFrom('notifications').select(['link']).where('user_id', '=', w.member).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(notice.link, `/consultations/${id}/attendance`, 'the invitation leads to the code (the consultation is not public)');
    const page = await get(t.app, `/consultations/${id}/attendance`, member);
    assert.equal(page.statusCode, 200);
    const code = codeOnPage(page.body);
    assert.ok(code, 'a six-digit code is shown');
    assert.equal(codeOnPage((await get(t.app, `/consultations/${id}/attendance`, member)).body), code, 'the same code every time');
    assert.match((await get(t.app, `/consultations/${id}/attendance`, member, { 'accept-language': 'en' })).body, /Your sign-in code:/);
    assert.equal((await get(t.app, `/consultations/${id}/attendance`, await signedInJar(t.app, t.ctx, w.otherMember))).statusCode, 404, 'not invited');
    assert.equal((await get(t.app, `/consultations/${other}/attendance`, member)).statusCode, 404, 'invited elsewhere only');
    assert.equal((await get(t.app, `/consultations/${id}/attendance`)).statusCode, 303, 'signed out: to sign-in');

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const bad = await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: wrong }, staff);
    assert.equal(bad.statusCode, 400);
    assert.equal(await attended(pid.member as number), null);
    assert.equal((await postForm(t.app, `/admin/consultations/${other}/checkin`, { code: code as string }, staff)).statusCode, 400, 'a code of another meeting');
    const ok = await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: `${code?.slice(0, 3)} ${code?.slice(3)}` }, staff);
    assert.equal(ok.statusCode, 200);
    assert.match(textOf(ok), /李委员/);
    assert.ok(await attended(pid.member as number));
    const again = await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: code as string }, staff);
    assert.equal(again.statusCode, 409);
    assert.match(textOf(again), /李委员/);
    const ev = await events('participant_checked_in');
    assert.equal(ev.length, 1);
    assert.equal(ev[0]?.actor_id, w.staff);
    assert.deepEqual(JSON.parse(ev[0]?.data ?? '{}'), { participantId: pid.member });
    const after = await get(t.app, `/consultations/${id}/attendance`, member);
    assert.match(textOf(after), /您已于 .* 签到/);
    assert.equal(codeOnPage(after.body), undefined, 'a used code is no longer shown');
    // The desk may not sign in by code unless it manages the consultation.
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: code as string }, member)).statusCode, 403);
  });

  it('staff tick who came; only what they changed is written, on the record', async () => {
    const sheet = await get(t.app, `/admin/consultations/${id}/attendance`, staff);
    assert.equal(sheet.statusCode, 200);
    assert.match(sheet.body, new RegExp(`<input type="checkbox" id="present-${pid.member}" name="present" value="${pid.member}" checked\/>`));
    assert.match(sheet.body, new RegExp(`<input type="checkbox" id="present-${pid.department}" name="present" value="${pid.department}"/>`));
    assert.match(textOf(sheet), /已到会 1 人（受邀 3 人）/);
    assert.match(textOf(sheet), /王大爷 居民代表 · 无账号/);
    for (const who of [w.outsider, w.citizens[0] as number]) {
      assert.equal((await get(t.app, `/admin/consultations/${id}/attendance`, await signedInJar(t.app, t.ctx, who))).statusCode, 403);
      assert.equal((await postForm(t.app, `/admin/consultations/${id}/attendance`, { present: [String(pid.citizen)] }, await signedInJar(t.app, t.ctx, who))).statusCode, 403);
    }
    assert.equal(await attended(pid.citizen as number), null, 'refused posts wrote nothing');
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/attendance`, { present: [String(pid.citizen)] }, new Jar())).statusCode, 401, 'signed out');
    const noCsrf = await t.app.inject({ method: 'POST', url: `/admin/consultations/${id}/attendance`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: staff.header() }, payload: `present=${pid.citizen}` });
    assert.equal(noCsrf.statusCode, 403, 'no CSRF token');

    // Tick the department's and the citizen representative, untick the member shown as present.
    const res = await postForm(t.app, `/admin/consultations/${id}/attendance`, { present: [String(pid.department), String(pid.citizen)], was: [String(pid.member)] }, staff);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/consultations/${id}/attendance?done=saved`);
    assert.ok(await attended(pid.department as number));
    assert.ok(await attended(pid.citizen as number));
    assert.equal(await attended(pid.member as number), null);
    const ev = await events('attendance_recorded');
    assert.equal(ev.length, 1);
    assert.deepEqual(JSON.parse(ev[0]?.data ?? '{}'), { present: [pid.department, pid.citizen].sort((a, b) => (a as number) - (b as number)), absent: [pid.member] });

    // The member signs in at the desk after the list was opened (unticked, not shown present): the list leaves them alone.
    await db().updateTable('consultation_participants').set({ attended_at: new Date().toISOString() }).where('id', '=', pid.member as number).execute();
    const stale = await postForm(t.app, `/admin/consultations/${id}/attendance`, { present: [String(pid.department), String(pid.citizen)], was: [String(pid.department), String(pid.citizen)] }, staff);
    assert.equal(stale.headers.location, `/admin/consultations/${id}/attendance?done=none`);
    assert.ok(await attended(pid.member as number));
    assert.equal((await events('attendance_recorded')).length, 1, 'no change, no event');
    assert.match(textOf(await get(t.app, `/admin/consultations/${id}/attendance?done=none`, staff)), /签到情况没有变化/);
  });

  it('refuses a list that is not this consultation’s, keeping the page', async () => {
    for (const present of [['abc'], [String(pid['other-citizen'])], ['0'], ['99999999']]) {
      const res = await postForm(t.app, `/admin/consultations/${id}/attendance`, { present }, staff);
      assert.equal(res.statusCode, 400, present.join());
      assert.match(res.body, /签到名单有误/);
      assert.match(res.body, /<title>错误：/);
    }
    const many = await postForm(t.app, `/admin/consultations/${id}/attendance`, { present: Array.from({ length: 1001 }, (_, i) => String(i + 1)) }, staff);
    assert.equal(many.statusCode, 400);
    assert.equal(await attended(pid['other-citizen'] as number), null);
    assert.equal((await get(t.app, `/admin/consultations/99999999/attendance`, staff)).statusCode, 404);
  });

  it('registrants and participants share the desk; a code is taken across both within a meeting', async () => {
    const { codeTaken } = await import('../../src/modules/consultations/attendance-service.js');
    const memberCode = (await db().selectFrom('consultation_participants').select('checkin_code').where('id', '=', pid.member as number).executeTakeFirstOrThrow()).checkin_code as string;
    assert.equal(await codeTaken(db(), id, memberCode), true);
    assert.equal(await codeTaken(db(), other, memberCode), false);
    // Open registration on the same meeting: a citizen's code (drawn avoiding taken codes) works at the same desk.
    const day = dayOffset(20);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}`, {
      title: '城区停车设施对口协商会', form: 'counterpart', mode: 'in_person', leadBodyId: String(w.committee), year: day.slice(0, 4), startsAt: `${day}T09:30`,
      place: '县政协会议室', isPublic: 'on', registrationOpen: 'on', capacity: '5',
    }, staff)).statusCode, 303);
    const [citizen] = await jars(t.app, t.ctx, [w.citizens[0] as number]);
    assert.equal((await postForm(t.app, `/consultations/${id}/registration`, {}, citizen)).statusCode, 303);
    const reg = await db().selectFrom('consultation_registrations').select('checkin_code').where('consultation_id', '=', id).executeTakeFirstOrThrow();
    assert.match(reg.checkin_code ?? '', /^\d{6}$/);
    assert.notEqual(reg.checkin_code, memberCode);
    assert.equal(await codeTaken(db(), id, reg.checkin_code as string), true);
    const ok = await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: reg.checkin_code as string }, staff);
    assert.equal(ok.statusCode, 200);
    assert.match(textOf(ok), /市民/);
  });
});
