import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateBody } from '../../src/modules/admin/structure/bodies-service.js';
import { keptHead } from '../../src/modules/consultations/live-head.js';
import { type Memo, liveHead } from '../../src/modules/consultations/live-rights.js';
import { addParticipant, removeParticipant } from '../../src/modules/consultations/consultations-service.js';
import { cancelRegistration, register } from '../../src/modules/consultations/registration-service.js';
import { type CurrentUser, loadCurrentUser } from '../../src/platform/auth/current-user.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { appendEvent } from '../../src/platform/timeline/audit.js';
import { makeLiveConsultation } from './live-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// The live page keeps the consultation and each person's rights between views (live-head.ts),
// under the stream's last event, the person's memberships and the body tree. Every way a right
// is given or taken must show on the very next view: a registration and its cancellation, a
// department invited and removed, a membership granted and ended, a body moved in the tree, a
// stage that closes the questions; a session that is not public stays unreadable to whoever
// just lost the right to it.

describe('live page: rights kept per person, renewed at once', { timeout: 120_000 }, () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let id = 0;
  let qid = 0;
  let staff: Jar;
  const db = () => t.ctx.database.db;
  const page = (jar?: Jar) => get(t.app, `/consultations/${id}/live`, jar);
  const mayAsk = (html: string) => html.includes(`action="/consultations/${id}/live/questions"`);
  const mayAnswer = (html: string) => html.includes(`action="/consultations/${id}/live/questions/${qid}/answer"`);
  const mayModerate = (html: string) => html.includes(`action="/consultations/${id}/live/questions/${qid}/moderate"`);
  /** Viewed twice, so the second view comes from what was kept. */
  const twice = async (jar: Jar): Promise<string> => { await page(jar); const res = await page(jar); assert.equal(res.statusCode, 200); return res.body; };

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    id = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    // Registration still open: the meeting starts tomorrow, the consultation is being prepared.
    await db().updateTable('consultations').set({ starts_at: new Date(Date.now() + 86_400_000).toISOString(), stage: 'preparation' }).where('id', '=', id).execute();
    staff = await signedInJar(t.app, t.ctx, w.staff);
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions`, { body: '老城区停车位什么时候增加？' }, await signedInJar(t.app, t.ctx, w.member))).statusCode, 303);
    qid = (await db().selectFrom('consultation_questions').select('id').where('consultation_id', '=', id).executeTakeFirstOrThrow()).id;
  });
  after(async () => { await t.close(); });

  it('a citizen who registers can ask on the next view; after cancelling, cannot', async () => {
    const citizen = await signedInJar(t.app, t.ctx, w.citizens[1] as number);
    assert.equal(mayAsk(await twice(citizen)), false);
    assert.equal((await postForm(t.app, `/consultations/${id}/registration`, { note: '' }, citizen)).statusCode, 303);
    assert.equal(mayAsk((await page(citizen)).body), true, 'registered: the question form at once');
    assert.equal(mayAsk(await twice(citizen)), true);
    assert.equal((await postForm(t.app, `/consultations/${id}/registration/cancel`, {}, citizen)).statusCode, 303);
    assert.equal(mayAsk((await page(citizen)).body), false, 'cancelled: the form is gone at once');
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions`, { body: '还能问吗？' }, citizen)).statusCode, 403);
  });

  it('a department invited: its handler answers on the next view; removed, no longer', async () => {
    const handler = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: w.otherDepartment, role: 'department_handler' }] }));
    assert.equal(mayAnswer(await twice(handler)), false);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'department', bodyId: String(w.otherDepartment) }, staff)).statusCode, 303);
    assert.equal(mayAnswer((await page(handler)).body), true, 'invited: the answer form at once');
    const p = await db().selectFrom('consultation_participants').select('id').where('consultation_id', '=', id).where('body_id', '=', w.otherDepartment).executeTakeFirstOrThrow();
    assert.equal(mayAnswer(await twice(handler)), true);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants/${p.id}/delete`, {}, staff)).statusCode, 303);
    assert.equal(mayAnswer((await page(handler)).body), false, 'removed: the answer form is gone at once');
  });

  it('a membership granted or ended (not on the stream) shows on the next view', async () => {
    const uid = w.citizens[2] as number;
    const person = await signedInJar(t.app, t.ctx, uid);
    assert.equal(mayModerate(await twice(person)), false);
    const now = new Date().toISOString();
    await db().insertInto('memberships').values({ user_id: uid, body_id: w.committee, role: 'staff', term_id: null, title: null, starts_on: null, ends_on: null, created_at: now }).execute();
    assert.equal(mayModerate((await page(person)).body), true, 'staff of the lead body: moderates at once');
    assert.equal(mayModerate(await twice(person)), true);
    await db().updateTable('memberships').set({ ends_on: '2020-01-01' }).where('user_id', '=', uid).execute();
    assert.equal(mayModerate((await page(person)).body), false, 'membership ended: no longer');
  });

  it('a body moved in the tree: staff of the new parent moderate at once, and no longer once it moves back', async () => {
    const outsider = await signedInJar(t.app, t.ctx, w.outsider);
    assert.equal(mayModerate(await twice(outsider)), false);
    const admin = await loadCurrentUser(db(), await makeUser(t.ctx, { isAdmin: true })) as CurrentUser;
    const committee = await db().selectFrom('bodies').selectAll().where('id', '=', w.committee).executeTakeFirstOrThrow();
    const move = (parentId: number | null) => updateBody(t.ctx, admin, w.committee, { kind: committee.kind, name: committee.name, parentId: parentId === null ? '' : String(parentId) });
    await move(w.otherRoot);
    assert.equal(mayModerate((await page(outsider)).body), true, 'the committee is under the outsider\'s body now');
    await move(null);
    assert.equal(mayModerate((await page(outsider)).body), false);
  });

  it('a stage that closes the questions removes the form at once', async () => {
    const registrant = await signedInJar(t.app, t.ctx, w.citizens[0] as number);
    assert.equal(mayAsk(await twice(registrant)), true);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'meeting' }, staff)).statusCode, 303);
    assert.equal(mayAsk(await twice(registrant)), true);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'deliberation' }, staff)).statusCode, 303);
    assert.equal(mayAsk((await page(registrant)).body), true, 'deliberation: still open');
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'outcome' }, staff)).statusCode, 303);
    const closed = await page(registrant);
    assert.equal(mayAsk(closed.body), false, 'outcome: questions closed');
    assert.match(closed.body, /提问环节已结束/);
  });

  it('a session that is not public: a department that loses its place gets a 404 on the next view', async () => {
    const priv = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[3] as number, isPublic: false });
    const handler = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: w.otherDepartment, role: 'department_handler' }] }));
    const url = `/consultations/${priv}/live`;
    assert.equal((await get(t.app, url, handler)).statusCode, 404);
    assert.equal((await get(t.app, url, handler)).statusCode, 404);
    assert.equal((await postForm(t.app, `/admin/consultations/${priv}/participants`, { kind: 'department', bodyId: String(w.otherDepartment) }, staff)).statusCode, 303);
    assert.equal((await get(t.app, url, handler)).statusCode, 200);
    assert.equal((await get(t.app, url, handler)).statusCode, 200);
    const p = await db().selectFrom('consultation_participants').select('id').where('consultation_id', '=', priv).where('body_id', '=', w.otherDepartment).executeTakeFirstOrThrow();
    assert.equal((await postForm(t.app, `/admin/consultations/${priv}/participants/${p.id}/delete`, {}, staff)).statusCode, 303);
    assert.equal((await get(t.app, url, handler)).statusCode, 404, 'no longer attending: not readable at once');
    assert.equal((await get(t.app, url, await signedInJar(t.app, t.ctx, w.citizens[3] as number))).statusCode, 404, 'registered or not, a citizen does not read it');
  });

  it('in a process whose body tree is not yet renewed, the stream\'s last event alone renews the rights', async () => {
    // A memo that never forgets: as a second process before the invalidation reaches it.
    const kept = new Map<string, Promise<unknown>>();
    const memo: Memo = <T,>(key: string, load: () => Promise<T>) => { if (!kept.has(key)) kept.set(key, load()); return kept.get(key) as Promise<T>; };
    const uid = w.citizens[4] as number;
    const user = await loadCurrentUser(db(), uid) as CurrentUser;
    const head = () => liveHead(db(), user, id, memo);
    await db().updateTable('consultations').set({ stage: 'preparation' }).where('id', '=', id).execute();
    await appendEvent(db(), { streamType: 'consultation', streamId: id, action: 'stage', actorId: w.staff, data: { from: 'outcome', to: 'preparation' } });
    assert.equal((await head()).rights.ask, false);
    assert.equal((await head()).rights.ask, false);
    await register(t.ctx, user, id, {});
    assert.equal((await head()).rights.ask, true, 'registered');
    await cancelRegistration(t.ctx, user, id);
    assert.equal((await head()).rights.ask, false, 'cancelled');

    const rep = await loadCurrentUser(db(), await makeUser(t.ctx, { roles: [{ bodyId: w.otherDepartment, role: 'department_handler' }] })) as CurrentUser;
    const staffUser = await loadCurrentUser(db(), w.staff) as CurrentUser;
    assert.deepEqual((await liveHead(db(), rep, id, memo)).rights.answerBodies, []);
    const pid = await addParticipant(t.ctx, staffUser, id, { kind: 'department', bodyId: String(w.otherDepartment) });
    assert.deepEqual((await liveHead(db(), rep, id, memo)).rights.answerBodies, [w.otherDepartment]);
    await removeParticipant(t.ctx, staffUser, id, pid);
    assert.deepEqual((await liveHead(db(), rep, id, memo)).rights.answerBodies, []);
  });

  it('keptHead computes once per (consultation, person, event, tree), again when any of them changes, and forgets failures', async () => {
    const owner = {};
    let calls = 0;
    const c = await db().selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const compute = async () => { calls++; return { c, rights: { ask: false, answerBodies: [], moderate: false } }; };
    const tree = {};
    const u = (memberships: CurrentUser['memberships']): CurrentUser => ({ id: 7, displayName: 'x', isAdmin: false, hasPassword: false, totpEnabled: false, memberships });
    await keptHead(owner, id, u([]), 5, tree, compute);
    await keptHead(owner, id, u([]), 5, tree, compute);
    assert.equal(calls, 1);
    await keptHead(owner, id, u([]), 6, tree, compute);
    assert.equal(calls, 2, 'a new event');
    await keptHead(owner, id, u([]), 6, {}, compute);
    assert.equal(calls, 3, 'a new body tree');
    const tree2 = {};
    await keptHead(owner, id, u([]), 6, tree2, compute);
    await keptHead(owner, id, u([{ bodyId: 1, role: 'staff', termId: null }]), 6, tree2, compute);
    assert.equal(calls, 5, 'another membership is another person');
    await keptHead(owner, id, { ...u([]), isAdmin: true }, 6, tree2, compute);
    assert.equal(calls, 6, 'an administrator is another person');
    await keptHead(owner, id, null, 6, tree2, compute);
    await keptHead(owner, id + 1, null, 6, tree2, compute);
    assert.equal(calls, 8, 'per consultation, anonymous too');
    await assert.rejects(keptHead(owner, 999, null, 0, tree2, async () => { calls++; throw new Error('gone'); }));
    await keptHead(owner, 999, null, 0, tree2, compute);
    assert.equal(calls, 10, 'a failure is not kept');
  });
});
